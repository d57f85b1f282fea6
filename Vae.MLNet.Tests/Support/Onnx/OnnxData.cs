using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Tests.Support.Onnx;

/// <summary>A generated training row: 20 features, a class (as a number, as text, and as one-hot), and whether it is class 0.</summary>
public sealed class OnnxTrainingRow
{
    [VectorType(SyntheticData.Dimension)]
    public float[] Features { get; set; } = [];

    public float Label { get; set; }

    public string ClassName { get; set; } = "";

    [VectorType(3)]
    public float[] ClassVector { get; set; } = [];

    public bool IsFirst { get; set; }
}

/// <summary>What a scoring application sends: the features alone.</summary>
public sealed class OnnxFeatures
{
    [VectorType(SyntheticData.Dimension)]
    public float[] Features { get; set; } = [];
}

/// <summary>The features with the class as text (the condition of a conditional VAE, keyed inside the pipeline).</summary>
public sealed class OnnxFeaturesAndClassName
{
    [VectorType(SyntheticData.Dimension)]
    public float[] Features { get; set; } = [];

    public string ClassName { get; set; } = "";
}

/// <summary>The features with the class one-hot (the vector condition of a conditional VAE).</summary>
public sealed class OnnxFeaturesAndClassVector
{
    [VectorType(SyntheticData.Dimension)]
    public float[] Features { get; set; } = [];

    [VectorType(3)]
    public float[] ClassVector { get; set; } = [];
}

/// <summary>The generated data of the ONNX tests: SyntheticData's linear-Gaussian classes, squashed to (0, 1) when images are wanted.</summary>
internal static class OnnxData
{
    public static OnnxTrainingRow[] Rows(int count, bool unitInterval = false, int seed = 0) =>
        SyntheticData.LinearGaussian(count, classes: 3, seed: seed).Select(r => new OnnxTrainingRow
        {
            Features = unitInterval ? r.Features.Select(v => 1 / (1 + MathF.Exp(-v))).ToArray() : r.Features,
            Label = r.Label,
            ClassName = $"class-{(int)r.Label}",
            ClassVector = Enumerable.Range(0, 3).Select(c => c == (int)r.Label ? 1f : 0f).ToArray(),
            IsFirst = r.Label == 0,
        }).ToArray();

    /// <summary>The rows with their numeric label as a key, as a multiclass trainer wants it (keyed outside the model, so scoring needs no label).</summary>
    public static IDataView Keyed(MLContext ml, IEnumerable<OnnxTrainingRow> rows)
    {
        var data = ml.Data.LoadFromEnumerable(rows);
        return ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
    }
}
