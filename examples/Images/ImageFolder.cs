using Microsoft.ML.Data;
using Vae.MLNet.Examples.Datasets;

namespace Vae.MLNet.Examples;

/// <summary>One image file: its path relative to the folder, and its label (the subfolder it is in, or "").</summary>
public sealed class ImageFile
{
    /// <summary>The path relative to the image folder.</summary>
    public string Path { get; set; } = "";

    /// <summary>The name of the subfolder holding the image; "" for images at the top.</summary>
    public string Label { get; set; } = "";
}

/// <summary>Lists a folder of images, and writes Fashion-MNIST images and image grids as PNG files with ML.NET's MLImage.</summary>
public static class ImageFolder
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp"];

    /// <summary>The image files under <paramref name="folder"/> (one level of subfolders), sorted by path.</summary>
    public static ImageFile[] List(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(System.IO.Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Select(f => System.IO.Path.GetRelativePath(folder, f))
            .Order(StringComparer.Ordinal)
            .Select(p => new ImageFile { Path = p, Label = System.IO.Path.GetDirectoryName(p) ?? "" })
            .ToArray();

    /// <summary>
    /// Writes the first <paramref name="count"/> Fashion-MNIST training images from <paramref name="dataFolder"/> as
    /// 28×28 PNG files into one subfolder per class of <paramref name="folder"/>; returns how many were written.
    /// </summary>
    public static int WriteFashionMnist(string dataFolder, string folder, int count, IReadOnlyList<string> classNames)
    {
        var images = Mnist.Load(dataFolder, train: true, take: count);
        for (int i = 0; i < images.Length; i++)
        {
            string name = classNames[(int)images[i].Label].Replace('/', '-');
            string directory = Directory.CreateDirectory(System.IO.Path.Combine(folder, name)).FullName;
            SaveGray(images[i].Pixels, 28, 28, System.IO.Path.Combine(directory, $"{i:D5}.png"));
        }
        return images.Length;
    }

    /// <summary>
    /// Saves gray images (values in [0, 1], each <paramref name="size"/> × <paramref name="size"/>) as one PNG grid of
    /// <paramref name="columns"/> columns, one pixel of white between tiles.
    /// </summary>
    public static void SaveGrid(IReadOnlyList<float[]> images, int size, int columns, string path)
    {
        int rows = (images.Count + columns - 1) / columns, tile = size + 1;
        int width = columns * tile - 1, height = rows * tile - 1;
        var grid = Enumerable.Repeat(1f, width * height).ToArray();
        for (int i = 0; i < images.Count; i++)
            for (int y = 0; y < size; y++)
                Array.Copy(images[i], y * size, grid, (i / columns * tile + y) * width + i % columns * tile, size);
        SaveGray(grid, width, height, path);
    }

    private static void SaveGray(float[] values, int width, int height, string path)
    {
        var bgra = new byte[width * height * 4];
        for (int i = 0; i < values.Length; i++)
        {
            byte v = (byte)Math.Round(255 * Math.Clamp(values[i], 0, 1));
            bgra[4 * i] = bgra[4 * i + 1] = bgra[4 * i + 2] = v;
            bgra[4 * i + 3] = 255;
        }
        using var image = MLImage.CreateFromPixels(width, height, MLPixelFormat.Bgra32, bgra);
        image.Save(path);
    }
}
