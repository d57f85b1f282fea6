using System.Text;
using Vae.MLNet.Reporting.Imaging;

namespace Vae.MLNet.Tests.Reporting;

[TestClass]
public sealed class PngEncoderTests
{
    [TestMethod]
    public void Crc32MatchesTheStandardCheckValues()
    {
        // The check value of CRC-32/ISO-HDLC, and the CRC of an IEND chunk (type only) found in every PNG.
        Assert.AreEqual(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.AreEqual(0xAE426082u, Crc32.Compute(Encoding.ASCII.GetBytes("IEND")));
        Assert.AreEqual(0u, Crc32.Compute([]));
        var data = Encoding.ASCII.GetBytes("IHDR and then some data");
        Assert.AreEqual(Crc32.Compute(data), Crc32.Finish(Crc32.Update(Crc32.Update(Crc32.Start, data.AsSpan(0, 4)), data.AsSpan(4))), "chained update");
    }

    [TestMethod]
    public void GrayscaleImageRoundTripsThroughZlib()
    {
        var pixels = Enumerable.Range(0, 7 * 5).Select(i => (byte)(i * 7)).ToArray();
        var image = PngReader.Read(PngEncoder.Encode(pixels, width: 7, height: 5, channels: 1));
        Assert.AreEqual((7, 5, 0), (image.Width, image.Height, image.ColorType));
        CollectionAssert.AreEqual(new[] { "IHDR", "IDAT", "IEND" }, image.ChunkTypes);
        CollectionAssert.AreEqual(pixels, PngReader.Pixels(image, 1));
    }

    [TestMethod]
    public void RgbImageRoundTripsThroughZlib()
    {
        var random = new Random(3);
        var pixels = new byte[4 * 3 * 3];
        random.NextBytes(pixels);
        var image = PngReader.Read(PngEncoder.Encode(pixels, width: 4, height: 3, channels: 3));
        Assert.AreEqual((4, 3, 2), (image.Width, image.Height, image.ColorType));
        CollectionAssert.AreEqual(pixels, PngReader.Pixels(image, 3));
    }

    [TestMethod]
    public void EncoderRejectsSizesThatDoNotMatchThePixels()
    {
        Assert.ThrowsExactly<ArgumentException>(() => PngEncoder.Encode(new byte[5], 2, 2, 1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => PngEncoder.Encode(new byte[8], 2, 2, 2));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => PngEncoder.Encode([], 0, 1, 1));
    }

    [TestMethod]
    public void StripTilesChannelMajorImagesWithAOnePixelGap()
    {
        // Two 1×2×2 images: values 0..3 and 4..7 over the range [0, 7].
        float[] a = [0, 1, 2, 3], b = [4, 5, 6, 7];
        var (png, width, height) = ImageStrip.Render([a, b], new ImageShape(1, 2, 2), new ValueRange(0, 7));
        Assert.AreEqual((5, 2), (width, height));
        byte Gray(float v) => (byte)Math.Round(255 * v / 7);
        var expected = new[] { Gray(0), Gray(1), (byte)255, Gray(4), Gray(5), Gray(2), Gray(3), (byte)255, Gray(6), Gray(7) };
        CollectionAssert.AreEqual(expected, PngReader.Pixels(PngReader.Read(png), 1));
    }

    [TestMethod]
    public void StripInterleavesTheColourPlanesOfRgbImages()
    {
        // One 3×1×2 image: the red plane, then green, then blue.
        float[] image = [1, 0, 0, 1, 0, 0];
        var (png, _, _) = ImageStrip.Render([image], new ImageShape(3, 1, 2), new ValueRange(0, 1));
        CollectionAssert.AreEqual(new byte[] { 255, 0, 0, 0, 255, 0 }, PngReader.Pixels(PngReader.Read(png), 3));
    }

    [TestMethod]
    public void ValueRangeIsTheUnitIntervalForPixelsAndTheDataRangeOtherwise()
    {
        Assert.AreEqual(new ValueRange(0, 1), ValueRange.Of([[0f, 0.5f], [1f]]));
        Assert.AreEqual(new ValueRange(-2, 3), ValueRange.Of([[-2f, 0.5f], [3f, float.NaN]]));
        Assert.AreEqual((byte)0, new ValueRange(0, 1).ToByte(-5));
        Assert.AreEqual((byte)255, new ValueRange(0, 1).ToByte(5));
        Assert.AreEqual((byte)128, new ValueRange(0, 1).ToByte(0.5f));
    }
}
