namespace Vae.MLNet.Reporting.Imaging;

/// <summary>
/// Tiles equally shaped images side by side, one pixel of white between tiles, into one PNG at the images' own
/// resolution; the page enlarges it without smoothing. Intensities map linearly from a value range to 0–255.
/// </summary>
internal static class ImageStrip
{
    private const int Gap = 1;

    /// <summary>A PNG of <paramref name="images"/> in a row, and its size in pixels.</summary>
    public static (byte[] Png, int Width, int Height) Render(IReadOnlyList<float[]> images, ImageShape shape, ValueRange range)
    {
        if (images.Count == 0) throw new ArgumentException("Expected at least one image.", nameof(images));
        if (shape.Channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(shape), shape, "Images need 1 (gray) or 3 (RGB) channels.");
        int c = shape.Channels, h = shape.Height, w = shape.Width;
        int width = images.Count * (w + Gap) - Gap, stride = width * c;
        var pixels = new byte[stride * h];
        Array.Fill(pixels, (byte)255);
        for (int i = 0; i < images.Count; i++)
        {
            var image = images[i];
            if (image.Length != shape.Size)
                throw new ArgumentException($"Image {i} has {image.Length} values; the shape {c}×{h}×{w} needs {shape.Size}.", nameof(images));
            int left = i * (w + Gap);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int ch = 0; ch < c; ch++)
                        pixels[y * stride + (left + x) * c + ch] = range.ToByte(image[(ch * h + y) * w + x]);
        }
        return (PngEncoder.Encode(pixels, width, h, c), width, h);
    }
}
