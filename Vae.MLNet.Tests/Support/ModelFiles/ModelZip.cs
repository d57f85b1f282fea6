using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace Vae.MLNet.Tests.Support.ModelFiles;

/// <summary>
/// Reads and rewrites the entries of a model zip as ML.NET writes it, to craft damaged or hostile files. The VAE's
/// entries sit in its transformer's folder: <c>Model.key</c> (ML.NET's header and our weight count),
/// <c>Vae.json</c> and <c>Weights.bin</c>.
/// </summary>
internal static class ModelZip
{
    public const string Header = "Model.key", Settings = "Vae.json", Weights = "Weights.bin";

    /// <summary>The entries in the order of the zip (duplicates kept).</summary>
    public static List<(string Name, byte[] Bytes)> Entries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.Select(e =>
        {
            using var s = e.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            return (e.FullName, m.ToArray());
        }).ToList();
    }

    /// <summary>The folder of the (first) VAE in the zip, with its trailing '/', e.g. "TransformerChain/Transform_001/".</summary>
    /// <param name="zip">The model zip.</param>
    /// <param name="settings">The settings entry that marks the transformer's folder (<see cref="Settings"/>, or the autoencoder's).</param>
    public static string VaeFolder(byte[] zip, string settings = Settings) =>
        Entries(zip).Select(e => e.Name).First(n => n.EndsWith("/" + settings, StringComparison.Ordinal) || n == settings)[..^settings.Length];

    /// <summary>The VAE's entry <paramref name="name"/> (one of <see cref="Header"/>, <see cref="Settings"/>, <see cref="Weights"/>).</summary>
    public static byte[] VaeEntry(byte[] zip, string name)
    {
        string path = VaeFolder(zip) + name;
        return Entries(zip).Single(e => e.Name == path).Bytes;
    }

    /// <summary>A zip holding <paramref name="entries"/> in order, names as given (duplicates allowed).</summary>
    public static byte[] Build(IEnumerable<(string Name, byte[] Bytes)> entries, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var stream = zip.CreateEntry(name, level).Open();
                stream.Write(bytes);
            }
        }
        return output.ToArray();
    }

    /// <summary>
    /// The model with the VAE's entry <paramref name="name"/> replaced by what <paramref name="edit"/> makes of it. An
    /// edited Vae.json gets its SHA-256 in Model.key updated (<paramref name="reseal"/>), so the edit reaches the checks
    /// behind the digest, as a deliberately crafted file would.
    /// </summary>
    public static byte[] EditVaeEntry(byte[] zip, string name, Func<byte[], byte[]> edit, bool reseal = true, string settings = Settings)
    {
        string folder = VaeFolder(zip, settings), path = folder + name;
        var entries = Entries(zip);
        int index = entries.FindIndex(e => e.Name == path);
        if (index < 0) throw new InvalidOperationException($"the model has no entry {path}");
        var edited = edit(entries[index].Bytes);
        entries[index] = (path, edited);
        int header = entries.FindIndex(e => e.Name == folder + Header);
        if (reseal && name == settings && header >= 0) entries[header] = (entries[header].Name, WithSettingsDigest(entries[header].Bytes, edited));
        return Build(entries);
    }

    /// <summary>Model.key with the settings' SHA-256 (after the weight count at the start of the model stream) set for <paramref name="settings"/>.</summary>
    private static byte[] WithSettingsDigest(byte[] header, byte[] settings)
    {
        var copy = (byte[])header.Clone();
        if (copy.Length < 0x18) return copy;
        long modelStream = BitConverter.ToInt64(copy, 0x10);
        if (modelStream < 0 || modelStream + 4 + 32 > copy.Length) return copy;
        System.Security.Cryptography.SHA256.HashData(settings).CopyTo(copy, modelStream + 4);
        return copy;
    }

    /// <summary>The model with the VAE's Vae.json changed by <paramref name="edit"/>.</summary>
    public static byte[] EditSettings(byte[] zip, Action<JsonObject> edit, string settings = Settings) =>
        EditVaeEntry(zip, settings, bytes =>
        {
            var json = JsonNode.Parse(bytes)!.AsObject();
            edit(json);
            return Encoding.UTF8.GetBytes(json.ToJsonString());
        }, settings: settings);

    /// <summary>Sets the node at a '/'-separated path of property names and array indices, e.g. "Spec/HiddenDimensions".</summary>
    public static void Set(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split('/');
        JsonNode node = root;
        foreach (string part in parts[..^1])
            node = (node is JsonArray a ? a[int.Parse(part)] : node[part])!;
        if (node is JsonArray array)
            array[int.Parse(parts[^1])] = value;
        else
            node[parts[^1]] = value;
    }
}
