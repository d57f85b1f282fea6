using Vae.MLNet.Data;

namespace Vae.MLNet.Tests.Trainers;

/// <summary>A binary example: three features, a Boolean label and an example weight.</summary>
internal sealed class BinaryRow
{
    [VectorType(3)]
    public float[] Features { get; set; } = [];

    public bool Label { get; set; }

    public float Weight { get; set; } = 1;
}

/// <summary>A regression example: three features, a Single label and an example weight.</summary>
internal sealed class RegressionRow
{
    [VectorType(3)]
    public float[] Features { get; set; } = [];

    public float Label { get; set; }

    public float Weight { get; set; } = 1;
}

/// <summary>A multiclass example: two features and a text label (mapped to a key by the pipelines).</summary>
internal sealed class ClassRow
{
    [VectorType(2)]
    public float[] Features { get; set; } = [];

    public string Label { get; set; } = "";
}

/// <summary>Seeded generators of the trainers' pipeline test data.</summary>
internal static class TrainerRows
{
    /// <summary>Labels drawn from a steep logistic model of <c>2 x0 - x1 + 0.5 x2 + 0.3</c>: mostly, not perfectly, separable.</summary>
    public static BinaryRow[] Binary(int seed, int count)
    {
        var random = new Random(seed);
        return TestData.GaussianRows(random, count, 3).Select(x => new BinaryRow
        {
            Features = x,
            Label = random.NextDouble() < 1 / (1 + Math.Exp(-3 * (2 * x[0] - x[1] + 0.5 * x[2] + 0.3))),
        }).ToArray();
    }

    /// <summary><c>y = 1.5 x0 - 2 x1 + 0.5 x2 + 3</c> plus noise of standard deviation 0.1.</summary>
    public static RegressionRow[] Regression(int seed, int count)
    {
        var random = new Random(seed);
        return TestData.GaussianRows(random, count, 3).Select(x => new RegressionRow
        {
            Features = x,
            Label = (float)(1.5 * x[0] - 2 * x[1] + 0.5 * x[2] + 3 + 0.1 * TestData.Gaussian(random)),
        }).ToArray();
    }

    /// <summary>Three blobs of standard deviation 0.5 around (0, 0), (3, 0) and (0, 3), labelled "a", "b", "c", interleaved.</summary>
    public static ClassRow[] Classes(int seed, int perClass)
    {
        var random = new Random(seed);
        (string Label, float X, float Y)[] centres = [("a", 0, 0), ("b", 3, 0), ("c", 0, 3)];
        return Enumerable.Range(0, perClass).SelectMany(_ => centres.Select(c => new ClassRow
        {
            Features = [c.X + 0.5f * (float)TestData.Gaussian(random), c.Y + 0.5f * (float)TestData.Gaussian(random)],
            Label = c.Label,
        })).ToArray();
    }

    /// <summary>The float values of a Single column.</summary>
    public static float[] Floats(IDataView data, string column) => data.GetColumn<float>(column).ToArray();

    /// <summary>The values of a Boolean column.</summary>
    public static bool[] Bools(IDataView data, string column) => data.GetColumn<bool>(column).ToArray();

    /// <summary>The dense vectors of a vector-of-Single column.</summary>
    public static float[][] Vectors(IDataView data, string column) =>
        data.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToArray();
}
