using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Tests.Support;

/// <summary>A row with the VAE's features in two parts (to Concatenate) and pass-through columns of every kind.</summary>
public sealed class MixedRow
{
    [VectorType(12)] public float[] Left { get; set; } = [];
    [VectorType(8)] public float[] Right { get; set; } = [];
    public float Label { get; set; }
    public string Text { get; set; } = "";
    public string Category { get; set; } = "";
    public double Scalar { get; set; }
    [VectorType(3)] public double[] Doubles { get; set; } = [];
    public bool Flag { get; set; }
}

/// <summary>What the tests read back: the pass-through columns, the key made from Category, and the VAE's outputs.</summary>
public sealed class MixedOutput
{
    public float Label { get; set; }
    public string Text { get; set; } = "";
    public uint CategoryKey { get; set; }
    public double Scalar { get; set; }
    public double[] Doubles { get; set; } = [];
    public bool Flag { get; set; }
    public float[] LatentMean { get; set; } = [];
    public float[] LatentLogVariance { get; set; } = [];
    public float[] Reconstruction { get; set; } = [];
}

internal static class PipelineData
{
    /// <summary>The linear-Gaussian rows of <see cref="SyntheticData"/>, split in two vectors, with generated pass-through values.</summary>
    public static MixedRow[] Rows(int count, int seed = 0)
    {
        var random = new Random(seed + 100);
        return SyntheticData.LinearGaussian(count, seed: seed).Select((r, i) => new MixedRow
        {
            Left = r.Features[..12],
            Right = r.Features[12..],
            Label = r.Label,
            Text = $"row {i} ∂ {random.Next()}",
            Category = ((char)('a' + random.Next(5))).ToString(),
            Scalar = random.NextDouble() * 1e6,
            Doubles = [random.NextDouble(), -random.NextDouble(), i],
            Flag = random.Next(2) == 0,
        }).ToArray();
    }

    public static VaeOptions Options(Action<VaeOptions>? change = null)
    {
        var o = new VaeOptions { LatentDimension = 2, HiddenDimensions = [16], Epochs = 12, BatchSize = 32, LearningRate = 5e-3, Seed = 4 };
        change?.Invoke(o);
        return o;
    }

    /// <summary>Concatenate → NormalizeMeanVariance → MapValueToKey (a pass-through key) → VaeEncode.</summary>
    public static EstimatorChain<VaeTransformer> Prefix(MLContext ml, Action<VaeOptions>? change = null) =>
        ml.Transforms.Concatenate("Features", "Left", "Right")
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.Transforms.Conversion.MapValueToKey("CategoryKey", "Category"))
            .Append(ml.Transforms.VaeEncode(Options(change)));
}
