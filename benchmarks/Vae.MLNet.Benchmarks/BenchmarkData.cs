using Microsoft.ML.Data;

namespace Vae.MLNet.Benchmarks;

/// <summary>One 28×28 image as the benchmarks feed it.</summary>
public sealed class ImageRow
{
    /// <summary>Pixels in [0, 1].</summary>
    [VectorType(784)]
    public float[] Pixels { get; set; } = [];
}

/// <summary>MNIST when the shared IDX files are there, else MNIST-shaped generated images; and streamed rows for the growth runs.</summary>
internal static class BenchmarkData
{
    public static ImageRow[] Mnist(string? folder, int count)
    {
        if (folder is not null && Examples.Datasets.Mnist.IsAvailable(folder))
            return Examples.Datasets.Mnist.Load(folder, train: true, take: count).Select(i => new ImageRow { Pixels = i.Pixels }).ToArray();
        return Enumerable.Range(0, count).Select(Generated).ToArray();
    }

    /// <summary>The same rows as one row-major array, for the plain TorchSharp loop (which holds its data as one tensor).</summary>
    public static float[] Flat(ImageRow[] rows)
    {
        var values = new float[rows.Length * 784];
        for (int i = 0; i < rows.Length; i++) rows[i].Pixels.CopyTo(values, i * 784);
        return values;
    }

    /// <summary>Rows made on the fly, one at a time, so a million of them never sit in memory together.</summary>
    public static IEnumerable<ImageRow> Stream(int count)
    {
        for (int i = 0; i < count; i++) yield return Generated(i);
    }

    // A blurry blob at a position that depends on the row: structure a VAE can learn, and the same for every run.
    private static ImageRow Generated(int index)
    {
        var random = new Random(index);
        double cx = 6 + random.NextDouble() * 16, cy = 6 + random.NextDouble() * 16, r = 3 + random.NextDouble() * 4;
        var pixels = new float[784];
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
                pixels[y * 28 + x] = (float)Math.Exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (2 * r * r));
        return new ImageRow { Pixels = pixels };
    }
}
