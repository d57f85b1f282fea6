using SkiaSharp;

namespace Vae.MLNet.Tests.Support;

/// <summary>A PNG decoded by SkiaSharp: its size, whether it was stored as grayscale, and its pixels.</summary>
internal sealed record PngImage(int Width, int Height, bool Gray, SKColor[] Pixels)
{
    /// <summary>Decodes <paramref name="png"/>, failing the test when it is not a PNG.</summary>
    public static PngImage Read(byte[] png)
    {
        using var codec = SKCodec.Create(new MemoryStream(png)) ?? throw new AssertFailedException("not an image SkiaSharp can decode");
        Assert.AreEqual(SKEncodedImageFormat.Png, codec.EncodedFormat, "a PNG");
        using var bitmap = SKBitmap.Decode(png);
        return new(bitmap.Width, bitmap.Height, codec.Info.ColorType == SKColorType.Gray8, bitmap.Pixels);
    }

    /// <summary>Decodes base64 (as in a data: URL).</summary>
    public static PngImage FromBase64(string base64) => Read(Convert.FromBase64String(base64));

    /// <summary>The pixel at (x, y).</summary>
    public SKColor At(int x, int y) => Pixels[y * Width + x];

    /// <summary>Whether some pixel is within <paramref name="tolerance"/> of <paramref name="color"/> in every channel.</summary>
    public bool Contains(SKColor color, int tolerance = 4) =>
        Pixels.Any(p => Math.Abs(p.Red - color.Red) <= tolerance && Math.Abs(p.Green - color.Green) <= tolerance && Math.Abs(p.Blue - color.Blue) <= tolerance);
}
