using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Vae.MLNet;

/// <summary>Writes the entries of a model zip and records each entry's length and SHA-256 for the manifest.</summary>
internal sealed class ModelZipWriter
{
    // A fixed timestamp keeps saved files byte-identical for identical models.
    private static readonly DateTimeOffset _timestamp = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ZipArchive _zip;

    public ModelZipWriter(ZipArchive zip) => _zip = zip;

    /// <summary>Length and SHA-256 of every entry written so far, by path.</summary>
    public JsonObject Entries { get; } = [];

    /// <summary>Adds an entry; binary arrays are stored uncompressed (floats barely compress), JSON deflated.</summary>
    public void Add(string path, ReadOnlySpan<byte> bytes, bool compress)
    {
        if (Entries.ContainsKey(path))
            throw new InvalidOperationException($"Model entry '{path}' was written twice.");
        var entry = _zip.CreateEntry(path, compress ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
        entry.LastWriteTime = _timestamp;
        using (var stream = entry.Open())
            stream.Write(bytes);
        Entries[path] = new JsonObject { ["length"] = bytes.Length, ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes)) };
    }
}
