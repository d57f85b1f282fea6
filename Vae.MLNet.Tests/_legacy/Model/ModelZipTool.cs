using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Vae.MLNet.Tests.Model;

/// <summary>Reads and rewrites model zips, to craft corrupt or hostile files.</summary>
internal static class ModelZipTool
{
    public static Dictionary<string, byte[]> Entries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var s = e.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            return m.ToArray();
        });
    }

    /// <summary>A zip of <paramref name="entries"/>; with <paramref name="fixManifest"/>, the manifest's lengths and hashes are recomputed.</summary>
    public static byte[] Build(Dictionary<string, byte[]> entries, bool fixManifest = true, Func<string, CompressionLevel>? level = null)
    {
        if (fixManifest)
        {
            var manifest = JsonNode.Parse(entries["manifest.json"])!.AsObject();
            var table = new JsonObject();
            foreach (var (path, bytes) in entries)
            {
                if (path != "manifest.json")
                    table[path] = new JsonObject { ["length"] = bytes.Length, ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes)) };
            }
            manifest["entries"] = table;
            entries["manifest.json"] = System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString());
        }
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, bytes) in entries)
            {
                using var s = archive.CreateEntry(path, level?.Invoke(path) ?? CompressionLevel.Optimal).Open();
                s.Write(bytes);
            }
        }
        return output.ToArray();
    }

    public static JsonObject Manifest(byte[] zip) => JsonNode.Parse(Entries(zip)["manifest.json"])!.AsObject();
}
