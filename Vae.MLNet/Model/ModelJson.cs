using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vae.MLNet;

/// <summary>
/// The JSON settings of model files: public fields included, NaN and infinities allowed, indented; nulls in
/// non-nullable members and missing constructor parameters rejected.
/// </summary>
internal static class ModelJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        IncludeFields = true,
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        MaxDepth = 64,
        // A hostile or corrupt file must not smuggle a null into a non-nullable member, or leave out a constructor
        // parameter (a component would otherwise be built with nulls and fail later, far from the file).
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        // Model files are not embedded in HTML; keep type specs such as Vector<Single, 3> readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] ToBytes(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, Options);

    /// <summary>Parses <paramref name="bytes"/> as a JSON object.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a JSON object.</exception>
    public static JsonObject ParseObject(byte[] bytes, string where)
    {
        // JsonNode transcodes strings lazily, so invalid UTF-8 would otherwise surface later, far from its entry.
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
            throw new InvalidDataException($"{where}: not valid UTF-8 text.");
        try
        {
            return JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) as JsonObject
                ?? throw new InvalidDataException($"{where}: expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where}: invalid JSON ({e.Message}).", e);
        }
    }

    /// <summary>The string property <paramref name="name"/> of <paramref name="obj"/>.</summary>
    public static string GetString(JsonObject obj, string name, string where) =>
        obj[name] is JsonValue v && v.TryGetValue(out string? s) ? s
            : throw new InvalidDataException($"{where}: missing or non-string property '{name}'.");

    /// <summary>The integer property <paramref name="name"/> of <paramref name="obj"/>.</summary>
    public static long GetInt64(JsonObject obj, string name, string where) =>
        obj[name] is JsonValue v && v.TryGetValue(out long n) ? n
            : throw new InvalidDataException($"{where}: missing or non-integer property '{name}'.");
}
