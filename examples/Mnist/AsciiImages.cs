namespace Vae.MLNet.Examples;

/// <summary>Draws grayscale images in [0, 1] as text, several side by side, so samples show in any terminal.</summary>
public static class AsciiImages
{
    private const string Shades = " .:-=+*#%@";

    /// <summary>
    /// The lines that draw <paramref name="images"/> (each <paramref name="size"/>×<paramref name="size"/>, row-major)
    /// <paramref name="perLine"/> to a line, each under its caption, without a border of <paramref name="crop"/> pixels.
    /// A character covers one pixel across and two down, because terminal cells are about twice as tall as wide.
    /// </summary>
    public static IEnumerable<string> Render(IReadOnlyList<float[]> images, IReadOnlyList<string> captions, int size, int crop, int perLine)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perLine, 1);
        if (crop < 0 || 2 * crop >= size) throw new ArgumentOutOfRangeException(nameof(crop), crop, $"crop must be in [0, {(size - 1) / 2}].");
        if (captions.Count != images.Count) throw new ArgumentException($"{images.Count} images but {captions.Count} captions.", nameof(captions));
        foreach (var image in images)
            if (image.Length != size * size) throw new ArgumentException($"An image has {image.Length} values, not {size}×{size}.", nameof(images));
        const string gap = "  ";
        int width = size - 2 * crop;
        for (int first = 0; first < images.Count; first += perLine)
        {
            var group = Enumerable.Range(first, Math.Min(perLine, images.Count - first)).ToArray();
            yield return string.Join(gap, group.Select(i => Fit(captions[i], width))).TrimEnd();
            for (int row = crop; row < size - crop; row += 2)
                yield return string.Join(gap, group.Select(i => Line(images[i], size, crop, row))).TrimEnd();
        }
    }

    private static string Line(float[] image, int size, int crop, int row)
    {
        var chars = new char[size - 2 * crop];
        for (int x = crop; x < size - crop; x++)
        {
            // The brighter of the two pixels keeps thin horizontal strokes visible.
            float value = Math.Max(image[row * size + x], row + 1 < size - crop ? image[(row + 1) * size + x] : 0);
            chars[x - crop] = Shades[Math.Clamp((int)(value * Shades.Length), 0, Shades.Length - 1)];
        }
        return new string(chars);
    }

    private static string Fit(string caption, int width) => caption.Length >= width ? caption[..width] : caption.PadRight(width);
}
