using Vae.MLNet.Reporting.Imaging;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Reporting;

[TestClass]
public sealed class ImageStripTests
{
    [TestMethod]
    public void StripTilesChannelMajorImagesWithAOnePixelGap()
    {
        // Two 1×2×2 images: values 0..3 and 4..7 over the range [0, 7].
        float[] a = [0, 1, 2, 3], b = [4, 5, 6, 7];
        var (png, width, height) = ImageStrip.Render([a, b], new ImageShape(1, 2, 2), new ValueRange(0, 7));
        Assert.AreEqual((5, 2), (width, height));
        var image = PngImage.Read(png);
        Assert.AreEqual((5, 2, true), (image.Width, image.Height, image.Gray), "a grayscale PNG of two tiles and a gap");
        byte Gray(float v) => (byte)Math.Round(255 * v / 7);
        var expected = new[] { Gray(0), Gray(1), (byte)255, Gray(4), Gray(5), Gray(2), Gray(3), (byte)255, Gray(6), Gray(7) };
        CollectionAssert.AreEqual(expected, image.Pixels.Select(p => p.Red).ToArray());
        Assert.IsTrue(image.Pixels.All(p => p.Red == p.Green && p.Green == p.Blue), "gray");
    }

    [TestMethod]
    public void StripInterleavesTheColourPlanesOfRgbImages()
    {
        // One 3×1×2 image: the red plane, then green, then blue.
        float[] image = [1, 0, 0, 1, 0, 0];
        var (png, _, _) = ImageStrip.Render([image], new ImageShape(3, 1, 2), new ValueRange(0, 1));
        var decoded = PngImage.Read(png);
        Assert.IsFalse(decoded.Gray);
        Assert.AreEqual((255, 0, 0), (decoded.At(0, 0).Red, decoded.At(0, 0).Green, decoded.At(0, 0).Blue));
        Assert.AreEqual((0, 255, 0), (decoded.At(1, 0).Red, decoded.At(1, 0).Green, decoded.At(1, 0).Blue));
    }

    [TestMethod]
    public void StripRejectsImagesOfTheWrongSizeNamingTheImage()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => ImageStrip.Render([new float[4], new float[3]], new ImageShape(1, 2, 2), new ValueRange(0, 1)));
        StringAssert.Contains(error.Message, "Image 1 has 3 values");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ImageStrip.Render([new float[8]], new ImageShape(2, 2, 2), new ValueRange(0, 1)));
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
