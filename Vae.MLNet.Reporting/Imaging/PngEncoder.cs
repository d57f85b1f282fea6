using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Vae.MLNet.Reporting.Imaging;

/// <summary>
/// Writes 8-bit grayscale or RGB PNG files: the signature, then IHDR, one IDAT (zlib stream of scanlines, each with
/// filter type 0) and IEND, every chunk closed by its CRC-32.
/// </summary>
internal static class PngEncoder
{
    private static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>
    /// Encodes <paramref name="pixels"/> (row-major; <paramref name="channels"/> bytes per pixel: 1 = gray, 3 = RGB).
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), $"A PNG needs a positive size, got {width}×{height}.");
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Expected 1 (gray) or 3 (RGB) channels.");
        int stride = width * channels;
        if (pixels.Length != stride * height)
            throw new ArgumentException($"Expected {stride * height} bytes for {width}×{height}×{channels}, got {pixels.Length}.", nameof(pixels));

        using var png = new MemoryStream();
        png.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;                                  // bits per sample
        header[9] = (byte)(channels == 1 ? 0 : 2);      // colour type: grayscale or truecolour
        // bytes 10-12: deflate compression, adaptive filtering, no interlace (all 0)
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", Compress(pixels, stride, height));
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static byte[] Compress(ReadOnlySpan<byte> pixels, int stride, int height)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int y = 0; y < height; y++)
            {
                zlib.WriteByte(0);
                zlib.Write(pixels.Slice(y * stride, stride));
            }
        }
        return compressed.ToArray();
    }

    private static void WriteChunk(Stream png, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        byte[] typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        // The CRC covers the chunk type and data, not the length.
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Finish(Crc32.Update(Crc32.Update(Crc32.Start, typeBytes), data)));
        png.Write(word);
    }
}
