using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Vae.MLNet.Reporting.Imaging;

namespace Vae.MLNet.Tests.Reporting;

/// <summary>A minimal PNG reader for the tests: checks the signature and every chunk's CRC, inflates the IDAT data.</summary>
internal static class PngReader
{
    public sealed record Image(int Width, int Height, int ColorType, string[] ChunkTypes, byte[] Scanlines);

    public static Image Read(byte[] png)
    {
        CollectionAssert.AreEqual(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }, png[..8], "PNG signature");
        var types = new List<string>();
        using var idat = new MemoryStream();
        int width = 0, height = 0, colorType = -1, offset = 8;
        while (offset < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            string type = Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            Assert.AreEqual(Crc32.Compute(png.AsSpan(offset + 4, 4 + length)), crc, $"CRC of chunk {type}");
            types.Add(type);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.AreEqual(8, data[8], "bit depth");
                colorType = data[9];
                CollectionAssert.AreEqual(new byte[] { 0, 0, 0 }, data[10..13].ToArray(), "compression, filter and interlace methods");
            }
            if (type == "IDAT") idat.Write(data);
            offset += 12 + length;
        }
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(new MemoryStream(idat.ToArray()), CompressionMode.Decompress)) zlib.CopyTo(inflated);
        return new Image(width, height, colorType, types.ToArray(), inflated.ToArray());
    }

    /// <summary>The pixels of an image written with filter type 0 on every scanline.</summary>
    public static byte[] Pixels(Image image, int channels)
    {
        int stride = image.Width * channels;
        Assert.AreEqual(image.Height * (stride + 1), image.Scanlines.Length, "scanline bytes");
        var pixels = new byte[image.Height * stride];
        for (int y = 0; y < image.Height; y++)
        {
            Assert.AreEqual(0, image.Scanlines[y * (stride + 1)], $"filter type of scanline {y}");
            Array.Copy(image.Scanlines, y * (stride + 1) + 1, pixels, y * stride, stride);
        }
        return pixels;
    }
}
