using Microsoft.ML.Data;

namespace Vae.MLNet.Fuzz;

/// <summary>A row of the small data set the fuzzed models are trained on and transform.</summary>
public sealed class Row
{
    /// <summary>Four features.</summary>
    [VectorType(4)]
    public float[] Features { get; set; } = [];
}

/// <summary>The tiny VAE and data the targets start from (the reliability tests' sample, trained in well under a second).</summary>
internal static class Rows
{
    public static VaeOptions TinyVae() => new() { LatentDimension = 2, HiddenDimensions = [4], Epochs = 2, BatchSize = 8, Seed = 1, TrainingThreads = 1 };

    public static Row[] Make(int count)
    {
        var random = new Random(7);
        return Enumerable.Range(0, count).Select(_ => new Row { Features = Enumerable.Range(0, 4).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray() }).ToArray();
    }
}
