using System.Buffers.Binary;
using System.IO.Compression;

namespace Vae.MLNet.Tests.Support.ModelFiles;

/// <summary>Builds zips that <see cref="ModelZip"/> does not (bombs) and patches their headers.</summary>
internal static class RawZip
{
    /// <summary>Writes <paramref name="size"/> zero bytes into a new deflated entry, in chunks, without holding them in memory.</summary>
    public static void AddZeros(ZipArchive zip, string name, long size)
    {
        var chunk = new byte[1 << 20];
        using var stream = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
        for (long written = 0; written < size; written += chunk.Length)
            stream.Write(chunk, 0, (int)Math.Min(chunk.Length, size - written));
    }

    /// <summary>
    /// Rewrites the uncompressed size of entry <paramref name="name"/> in its local header and central directory record,
    /// so the zip lies about how much the entry inflates to.
    /// </summary>
    public static byte[] PatchUncompressedSize(byte[] zip, string name, uint size, uint? compressedSize = null)
    {
        var copy = (byte[])zip.Clone();
        var nameBytes = System.Text.Encoding.UTF8.GetBytes(name);
        int patched = 0;
        for (int i = 0; i + 46 < copy.Length; i++)
        {
            uint signature = BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(i));
            // Local header: sizes at 18 (compressed) and 22, name length at 26, name at 30.
            // Central directory record: sizes at 20 and 24, name length at 28, name at 46.
            var (sizes, nameLength, nameAt) = signature switch
            {
                0x04034b50 => (18, 26, 30),
                0x02014b50 => (20, 28, 46),
                _ => (-1, 0, 0),
            };
            if (sizes < 0 || BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(i + nameLength)) != nameBytes.Length
                || i + nameAt + nameBytes.Length > copy.Length || !copy.AsSpan(i + nameAt, nameBytes.Length).SequenceEqual(nameBytes))
                continue;
            if (compressedSize is uint c)
                BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(i + sizes), c);
            BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(i + sizes + 4), size);
            patched++;
        }
        if (patched != 2)
            throw new InvalidOperationException($"expected a local header and a central record for '{name}', patched {patched}");
        return copy;
    }
}
