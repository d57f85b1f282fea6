using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

namespace Vae.MLNet.Persistence;

/// <summary>
/// The layout every transformer of this library writes into ML.NET's model zip: ML.NET's versioned header followed by
/// the weight-array count and the settings' SHA-256, a JSON settings entry, and <c>Weights.bin</c> (see
/// <see cref="WeightsFile"/>). Reading treats the file as untrusted: each step is checked before the next is taken,
/// and every failure is an <see cref="InvalidDataException"/> that names the model folder and the entry.
/// </summary>
internal static class ModelEntries
{
    /// <summary>ML.NET's name for the entry holding a transformer's header and its model stream.</summary>
    internal const string HeaderEntry = "Model.key";
    internal const string WeightsEntry = "Weights.bin";
    private const long MaxSettingsBytes = 16L << 20;

    internal static readonly JsonSerializerOptions Json = new()
    {
        IncludeFields = true,
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        MaxDepth = 64,
        // A corrupt or hostile file must not smuggle a null into a non-nullable member or leave out a constructor parameter.
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public static void Save<TSettings>(ModelSaveContext ctx, VersionInfo version, string settingsEntry, TSettings settings, nn.Module network)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.CheckAtModel();
        ctx.SetVersionInfo(version);
        var weights = network.state_dict().Select(kv => (kv.Key, kv.Value)).ToList();
        // The header records what the entries must hold, so a file whose entries were swapped is refused, and the
        // settings' SHA-256 (ML.NET does not check the zip's CRC on read, so a flipped bit would otherwise pass).
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(settings, Json);
        ctx.Writer.Write(weights.Count);
        ctx.Writer.Write(SHA256.HashData(json));
        ctx.SaveBinaryStream(settingsEntry, w => w.Write(json));
        ctx.SaveBinaryStream(WeightsEntry, w => WeightsFile.Write(w.BaseStream, weights));
    }

    /// <summary>
    /// Reads and checks the header, the settings (digest, UTF-8, JSON, then <paramref name="validate"/>) and the weight
    /// arrays (at most <paramref name="maxWeightsBytes"/> of the checked settings, and as many as the header declares).
    /// </summary>
    public static (TSettings Settings, IReadOnlyList<WeightsFile.Array> Arrays) Load<TSettings>(ModelLoadContext ctx, VersionInfo version, string settingsEntry,
        string where, Action<TSettings> validate, Func<TSettings, long> maxWeightsBytes) where TSettings : class
    {
        ArgumentNullException.ThrowIfNull(ctx);
        int declaredWeights;
        byte[] settingsDigest;
        try
        {
            // ML.NET's own checks (signature, version range) and reads throw FormatException or EndOfStreamException
            // that name neither the entry nor the versions; say both.
            ctx.CheckAtModel(version);
            declaredWeights = ctx.Reader.ReadInt32();
            settingsDigest = ctx.Reader.ReadBytes(SHA256.HashSizeInBytes);
            if (settingsDigest.Length != SHA256.HashSizeInBytes) throw new EndOfStreamException("the header ends inside the settings' SHA-256.");
        }
        catch (Exception e) when (e is FormatException or EndOfStreamException or InvalidOperationException)
        {
            var header = ctx.Header;
            throw new InvalidDataException(
                $"{where}, {HeaderEntry}: not a header this loader reads (model signature '{Signature(header.ModelSignature)}', " +
                $"version 0x{header.ModelVerWritten:X8}, readable by 0x{header.ModelVerReadable:X8}; this library writes 0x{version.VerWrittenCur:X8} " +
                $"and reads back to 0x{version.VerWeCanReadBack:X8}): {e.Message}", e);
        }
        if (declaredWeights < 0)
            throw new InvalidDataException($"{where}, {HeaderEntry}: declares {declaredWeights} weight arrays.");
        var settings = ReadSettings(ctx, settingsEntry, where, settingsDigest, validate);
        var arrays = ReadEntry(ctx, WeightsEntry, maxWeightsBytes(settings), where, bytes => WeightsFile.Read(bytes, $"{where}, {WeightsEntry}"));
        if (arrays.Count != declaredWeights)
            throw new InvalidDataException($"{where}: {WeightsEntry} holds {arrays.Count} arrays but the header ({HeaderEntry}) declares {declaredWeights}.");
        return (settings, arrays);
    }

    /// <summary>
    /// Loads <paramref name="arrays"/> into <paramref name="network"/>: every weight the network has must be present
    /// with its name, shape and dtype, and the file may hold no other.
    /// </summary>
    public static void LoadWeights(nn.Module network, IReadOnlyList<WeightsFile.Array> arrays, string where, string what)
    {
        var byName = arrays.ToDictionary(a => a.Name, StringComparer.Ordinal);
        using var scope = NewDisposeScope();
        var state = new Dictionary<string, Tensor>();
        foreach (var (name, tensor) in network.state_dict())
        {
            if (!byName.TryGetValue(name, out var array))
                throw new InvalidDataException($"{where}: the {what} has no array '{name}'.");
            if (!array.Shape.SequenceEqual(tensor.shape))
                throw new InvalidDataException($"{where}: array '{name}' has shape [{string.Join(", ", array.Shape)}], expected [{string.Join(", ", tensor.shape)}].");
            if (array.DType != tensor.dtype)
                throw new InvalidDataException($"{where}: array '{name}' is {array.DType}, but {tensor.dtype} was expected.");
            // The file's digest proves its bytes are as written, not that they are sane: a NaN or ±∞ weight (an edited
            // file, or one saved by a diverged training) would make every output non-finite.
            if (array.FirstNonFinite() is var at and >= 0)
                throw new InvalidDataException($"{where}: array '{name}' holds a non-finite value ({array.Singles![at]}) at index {at}; a model's weights must be finite.");
            state[name] = array.ToTensor();
        }
        var unexpected = byName.Keys.Except(state.Keys).ToArray();
        if (unexpected.Length > 0)
            throw new InvalidDataException($"{where}: the {what} has arrays its network does not: {string.Join(", ", unexpected)}.");
        network.load_state_dict(state);
        network.eval();
    }

    private static string Signature(ulong signature)
    {
        var chars = BitConverter.GetBytes(signature).Select(b => b is >= 0x20 and < 0x7F ? (char)b : '?');
        return new string(chars.ToArray());
    }

    private static TSettings ReadSettings<TSettings>(ModelLoadContext ctx, string entry, string where, byte[] digest, Action<TSettings> validate) where TSettings : class
    {
        TSettings? settings;
        try
        {
            settings = ReadEntry(ctx, entry, MaxSettingsBytes, where, bytes =>
            {
                if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(digest))
                    throw new InvalidDataException($"{where}, {entry}: checksum mismatch with the SHA-256 in {HeaderEntry}; the file is corrupt.");
                if (!System.Text.Unicode.Utf8.IsValid(bytes)) throw new InvalidDataException($"{where}, {entry}: not valid UTF-8 text.");
                return JsonSerializer.Deserialize<TSettings>(bytes, Json);
            });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where}, {entry}: invalid ({e.Message}).", e);
        }
        if (settings is null) throw new InvalidDataException($"{where}, {entry}: empty.");
        try
        {
            validate(settings);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{where}, {entry}: the saved model is invalid ({e.Message}).", e);
        }
        return settings;
    }

    private static T ReadEntry<T>(ModelLoadContext ctx, string entry, long maxBytes, string where, Func<byte[], T> parse)
    {
        if (MLNetInternals.DeclaredEntryLength(ctx, entry) is long declared && declared > maxBytes)
            throw new InvalidDataException($"{where}, {entry}: the zip declares {declared} bytes for it, more than the limit of {maxBytes} bytes; refused before it is inflated.");
        T? result = default;
        bool parsed = false, found;
        try
        {
            found = ctx.TryLoadBinaryStream(entry, reader =>
            {
                var bytes = WeightsFile.ReadAll(reader.BaseStream, maxBytes, $"{where}, {entry}");
                parsed = true;
                result = parse(bytes);
            });
        }
        catch (Exception e) when (!parsed && e is InvalidDataException or FormatException or IOException && !e.Message.StartsWith(where, StringComparison.Ordinal))
        {
            // ML.NET opens (inflates) the zip entry here: a damaged entry fails in System.IO.Compression, naming nothing.
            throw new InvalidDataException($"{where}, {entry}: the zip entry cannot be read ({e.Message}).", e);
        }
        if (!found) throw new InvalidDataException($"{where}: the entry {entry} is missing.");
        return result!;
    }
}
