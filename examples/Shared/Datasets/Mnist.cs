using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Examples.Datasets;

/// <summary>One MNIST-format image: 784 pixel intensities scaled to [0, 1] and the digit (or clothing class).</summary>
public sealed class MnistImage
{
    /// <summary>Pixels in row-major order, each in [0, 1].</summary>
    [VectorType(784)]
    public float[] Pixels { get; set; } = [];

    /// <summary>The class, 0 to 9.</summary>
    public float Label { get; set; }
}

/// <summary>Loads MNIST and Fashion-MNIST from their original IDX files (train-images-idx3-ubyte[.gz], ...).</summary>
public static class Mnist
{
    /// <summary>The images of the train or test split in folder, at most take of them.</summary>
    /// <exception cref="FileNotFoundException">The folder lacks the split's files.</exception>
    public static MnistImage[] Load(string folder, bool train, int? take = null)
    {
        string prefix = train ? "train" : "t10k";
        var (imageSizes, pixels) = IdxFile.ReadBytes(Find(folder, $"{prefix}-images-idx3-ubyte"));
        var (labelSizes, labels) = IdxFile.ReadBytes(Find(folder, $"{prefix}-labels-idx1-ubyte"));
        if (imageSizes.Length != 3 || labelSizes.Length != 1 || imageSizes[0] != labelSizes[0])
            throw new InvalidDataException($"{folder}: image sizes [{string.Join(", ", imageSizes)}] and label sizes [{string.Join(", ", labelSizes)}] do not match.");
        int count = Math.Min(imageSizes[0], take ?? int.MaxValue), size = imageSizes[1] * imageSizes[2];
        var result = new MnistImage[count];
        for (int i = 0; i < count; i++)
        {
            var row = new float[size];
            for (int j = 0; j < size; j++) row[j] = pixels[i * size + j] / 255f;
            result[i] = new MnistImage { Pixels = row, Label = labels[i] };
        }
        return result;
    }

    /// <summary>Whether folder holds both splits of an MNIST-format data set.</summary>
    public static bool IsAvailable(string folder) =>
        new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" }
            .All(name => File.Exists(Path.Combine(folder, name)) || File.Exists(Path.Combine(folder, name + ".gz")));

    private static string Find(string folder, string name)
    {
        foreach (string candidate in new[] { Path.Combine(folder, name), Path.Combine(folder, name + ".gz") })
            if (File.Exists(candidate)) return candidate;
        throw new FileNotFoundException($"{name}[.gz] was not found in {folder}.");
    }
}
