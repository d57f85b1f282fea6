using SkiaSharp;

namespace Vae.MLNet.Reporting.Imaging;

/// <summary>
/// Tiles equally shaped images side by side, one pixel of white between tiles, into one PNG (encoded by SkiaSharp) at
/// the images' own resolution; the page enlarges it without smoothing. Intensities map linearly from a value range
/// to 0–255; a grayscale strip is an 8-bit gray PNG, an RGB one a colour PNG.
/// </summary>
internal static class ImageStrip
{
    private const int Gap = 1;

    /// <summary>A PNG of <paramref name="images"/> in a row, and its size in pixels.</summary>
    public static (byte[] Png, int Width, int Height) Render(IReadOnlyList<float[]> images, ImageShape shape, ValueRange range)
    {
        if (images.Count == 0) throw new ArgumentException("Expected at least one image.", nameof(images));
        if (shape.Channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(shape), shape, "Images need 1 (gray) or 3 (RGB) channels.");
        int h = shape.Height, w = shape.Width;
        int width = images.Count * (w + Gap) - Gap;
        bool gray = shape.Channels == 1;
        using var bitmap = new SKBitmap(new SKImageInfo(width, h, gray ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque));
        var pixels = new byte[bitmap.RowBytes * h];
        Array.Fill(pixels, (byte)255);
        for (int i = 0; i < images.Count; i++)
        {
            var image = images[i];
            if (image.Length != shape.Size)
                throw new ArgumentException($"Image {i} has {image.Length} values; the shape {shape.Channels}×{h}×{w} needs {shape.Size}.", nameof(images));
            Draw(pixels, bitmap.RowBytes, bitmap.BytesPerPixel, image, shape, range, left: i * (w + Gap));
        }
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return (data.ToArray(), width, h);
    }

    private static void Draw(byte[] pixels, int rowBytes, int bytesPerPixel, float[] image, ImageShape shape, ValueRange range, int left)
    {
        int h = shape.Height, w = shape.Width, plane = h * w;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int at = y * rowBytes + (left + x) * bytesPerPixel, source = y * w + x;
                if (shape.Channels == 1)
                {
                    pixels[at] = range.ToByte(image[source]);
                    continue;
                }
                // C×H×W planes (PyTorch's layout) into interleaved RGBA.
                for (int c = 0; c < 3; c++) pixels[at + c] = range.ToByte(image[c * plane + source]);
                pixels[at + 3] = 255;
            }
    }
}
