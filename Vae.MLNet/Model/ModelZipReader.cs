using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Vae.MLNet;

/// <summary>
/// Reads a model zip defensively: the manifest's format and version are checked first, every entry read must be
/// listed in the manifest with its length and SHA-256, and sizes and compression ratios are bounded before reading.
/// </summary>
internal sealed class ModelZipReader : IDisposable
{
    private readonly ZipArchive _zip;
    private readonly ModelReadLimits _limits;
    private readonly JsonObject _entries;
    private readonly long _streamLength;
    private long _totalRead;

    public ModelZipReader(Stream stream, string source, ModelReadLimits limits)
    {
        Source = source;
        _limits = limits;
        _streamLength = stream.CanSeek ? stream.Length : long.MaxValue;
        IReadOnlyCollection<ZipArchiveEntry> entries;
        try
        {
            _zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            entries = _zip.Entries;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException)
        {
            throw new InvalidDataException($"{source} is not a readable model zip (truncated or corrupt): {e.Message}", e);
        }
        try
        {
            if (entries.Count > limits.MaxEntries)
                throw new InvalidDataException($"{source} has {entries.Count} entries; at most {limits.MaxEntries} are allowed.");
            // Refuse suspicious archives up front, from the central directory alone, before inflating anything.
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                if (!ModelFormat.IsSafeEntryName(entry.FullName))
                    throw new InvalidDataException($"{source} has an entry named '{Printable(entry.FullName)}'; model entries are relative paths of letters, digits, '.', '_' and '-'.");
                if (!names.Add(entry.FullName))
                    throw new InvalidDataException($"{source} holds the entry '{entry.FullName}' twice.");
                CheckDeclaredSizes(entry, entry.FullName.EndsWith(".json", StringComparison.Ordinal) ? limits.MaxJsonBytes : limits.MaxEntryBytes);
            }

            Manifest = ModelJson.ParseObject(ReadRaw(ModelFormat.ManifestEntry, limits.MaxJsonBytes), $"{source}: {ModelFormat.ManifestEntry}");
            string where = $"{source}: {ModelFormat.ManifestEntry}";
            string format = ModelJson.GetString(Manifest, "format", where);
            if (format != ModelFormat.FormatName)
                throw new InvalidDataException($"{where}: format is '{format}', expected '{ModelFormat.FormatName}'.");
            long version = ModelJson.GetInt64(Manifest, "formatVersion", where);
            if (version != ModelFormat.FormatVersion)
                throw new InvalidDataException($"{where}: format version {version} is not supported; this library reads version {ModelFormat.FormatVersion}.");
            _entries = Manifest["entries"] as JsonObject ?? throw new InvalidDataException($"{where}: missing the 'entries' table.");
        }
        catch
        {
            _zip.Dispose();
            throw;
        }
    }

    /// <summary>The bounds this reader enforces.</summary>
    public ModelReadLimits Limits => _limits;

    /// <summary>The file name or stream description used in error messages.</summary>
    public string Source { get; }

    /// <summary>The parsed manifest (format and version already checked).</summary>
    public JsonObject Manifest { get; }

    /// <summary>Whether the manifest lists an entry at <paramref name="path"/>.</summary>
    public bool Contains(string path) => _entries.ContainsKey(path);

    /// <summary>The bytes of a manifest-listed entry, verified against its recorded length and SHA-256.</summary>
    /// <exception cref="InvalidDataException">The entry is missing, too big, or does not match the manifest.</exception>
    public byte[] Read(string path, long? maxBytes = null)
    {
        string where = $"{Source}: {path}";
        if (_entries[path] is not JsonObject info)
            throw new InvalidDataException($"{where}: the entry is not listed in the manifest.");
        long length = ModelJson.GetInt64(info, "length", where);
        string sha = ModelJson.GetString(info, "sha256", where);
        var bytes = ReadRaw(path, Math.Min(maxBytes ?? _limits.MaxEntryBytes, _limits.MaxEntryBytes));
        if (bytes.Length != length)
            throw new InvalidDataException($"{where}: the entry has {bytes.Length} bytes but the manifest records {length}.");
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), sha, StringComparison.Ordinal))
            throw new InvalidDataException($"{where}: checksum mismatch; the file is corrupt.");
        return bytes;
    }

    private byte[] ReadRaw(string path, long maxBytes)
    {
        string where = $"{Source}: {path}";
        ZipArchiveEntry? entry;
        try
        {
            entry = _zip.GetEntry(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new InvalidDataException($"{where}: {e.Message}", e);
        }
        if (entry == null)
            throw new InvalidDataException($"{where}: the entry is missing from the zip.");
        long declared = entry.Length;
        CheckDeclaredSizes(entry, maxBytes);
        if (_totalRead + declared > _limits.MaxTotalBytes)
            throw new InvalidDataException($"{where}: reading it would exceed the limit of {_limits.MaxTotalBytes} uncompressed bytes per model.");

        // Grow the buffer as bytes actually arrive, so a lying header cannot make us allocate up front.
        var buffer = new byte[(int)Math.Min(declared, 1 << 20)];
        int filled = 0;
        bool overflow = false;
        try
        {
            using var stream = entry.Open();
            while (true)
            {
                if (filled == buffer.Length)
                {
                    if (filled >= declared)
                    {
                        overflow = stream.ReadByte() >= 0;
                        break;
                    }
                    Array.Resize(ref buffer, (int)Math.Min(declared, (long)buffer.Length * 2));
                }
                int n = stream.Read(buffer, filled, buffer.Length - filled);
                if (n == 0)
                    break;
                filled += n;
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException)
        {
            throw new InvalidDataException($"{where}: cannot be read ({e.Message}); the file is truncated or corrupt.", e);
        }
        if (overflow)
            throw new InvalidDataException($"{where}: the entry holds more than the {declared} bytes it declares.");
        if (filled < declared)
            throw new InvalidDataException($"{where}: truncated: {filled} of {declared} bytes present.");
        _totalRead += filled;
        return buffer;
    }

    private void CheckDeclaredSizes(ZipArchiveEntry entry, long maxBytes)
    {
        string where = $"{Source}: {entry.FullName}";
        long declared = entry.Length;
        if (declared > maxBytes)
            throw new InvalidDataException($"{where}: the entry declares {declared} bytes; at most {maxBytes} are allowed.");
        if (entry.CompressedLength > _streamLength)
            throw new InvalidDataException($"{where}: the entry declares {entry.CompressedLength} compressed bytes but the file has only {_streamLength}.");
        if (declared > _limits.RatioCheckThreshold && (entry.CompressedLength == 0 || (double)declared / entry.CompressedLength > _limits.MaxCompressionRatio))
            throw new InvalidDataException($"{where}: suspicious compression ratio ({declared} bytes from {entry.CompressedLength}); refusing to inflate.");
    }

    // Entry names come from the file: show control and non-ASCII characters as escapes, and keep them short.
    private static string Printable(string name)
    {
        var text = string.Concat(name.Take(200).Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}"));
        return name.Length > 200 ? text + "…" : text;
    }

    public void Dispose() => _zip.Dispose();
}
