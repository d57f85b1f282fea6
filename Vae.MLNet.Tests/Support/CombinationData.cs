using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Tests.Support;

/// <summary>
/// A row of the combination tests: 16 values in [0, 1] that every likelihood and layout accepts (slots 0–1 binary,
/// 2–4 one one-hot group, 5–15 continuous; 16 = a 1×4×4 image), and a class as a key and as a one-hot vector.
/// </summary>
public sealed class CombinationRow
{
    public const int Width = 16;

    [VectorType(Width)]
    public float[] Features { get; set; } = [];

    /// <summary>ML.NET's in-memory views store a [KeyType] property zero-based: value v is key v + 1.</summary>
    [KeyType(3)]
    public uint Class { get; set; }

    [VectorType(3)]
    public float[] ClassVector { get; set; } = [];
}

/// <summary>What an ONNX scoring application sends: the features alone (the other columns would be graph inputs too).</summary>
public sealed class CombinationFeatures
{
    [VectorType(CombinationRow.Width)]
    public float[] Features { get; set; } = [];
}

/// <summary>The features and the class as a key.</summary>
public sealed class CombinationFeaturesAndKey
{
    [VectorType(CombinationRow.Width)]
    public float[] Features { get; set; } = [];

    [KeyType(3)]
    public uint Class { get; set; }
}

/// <summary>The features and the class as a vector.</summary>
public sealed class CombinationFeaturesAndVector
{
    [VectorType(CombinationRow.Width)]
    public float[] Features { get; set; } = [];

    [VectorType(3)]
    public float[] ClassVector { get; set; } = [];
}

/// <summary>The VAE's outputs as a PredictionEngine writes them.</summary>
public class VaePrediction
{
    public float[] LatentMean { get; set; } = [];
    public float[] LatentLogVariance { get; set; } = [];
    public float[] Reconstruction { get; set; } = [];
}

/// <summary>The VAE's outputs with the anomaly score.</summary>
public sealed class VaePredictionWithScore : VaePrediction
{
    public float AnomalyScore { get; set; }
}

/// <summary>The autoencoder's outputs as a PredictionEngine writes them.</summary>
public sealed class AutoencoderPrediction
{
    public float[] Latent { get; set; } = [];
    public float[] Reconstruction { get; set; } = [];
}

internal static class CombinationData
{
    /// <summary>The slot layout of <see cref="CombinationRow.Features"/> for SlotLikelihoods.</summary>
    public static VaeSlotLikelihood[] Slots => [new(0, 2, VaeSlotKind.Bernoulli), new(2, 3, VaeSlotKind.Categorical)];

    /// <summary><paramref name="count"/> rows of three classes; with <paramref name="missing"/>, slot 7 of every fifth row is NaN.</summary>
    public static CombinationRow[] Rows(int count, bool missing, int seed = 11)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            int c = i % 3;
            var features = new float[CombinationRow.Width];
            features[0] = random.Next(2);
            features[1] = c == 0 ? 1 : 0;
            features[2 + c] = 1;
            for (int j = 5; j < features.Length; j++)
                features[j] = (float)Math.Clamp(0.2 + 0.2 * c + 0.15 * Math.Sin(j + c) + 0.1 * random.NextDouble(), 0, 1);
            if (missing && i % 5 == 0) features[7] = float.NaN;
            return new CombinationRow { Features = features, Class = (uint)c, ClassVector = Enumerable.Range(0, 3).Select(k => k == c ? 1f : 0f).ToArray() };
        }).ToArray();
    }

    /// <summary>Rows that leave a last mini-batch of one row, two rows, or a full batch.</summary>
    public static readonly string[] LastBatchLevels = ["last batch 1", "last batch 2", "last batch full"];

    public static int RowCount(int batchSize, int level) => level switch { 0 => 3 * batchSize + 1, 1 => 3 * batchSize + 2, _ => 4 * batchSize };

    public static IDataView View(MLContext ml, CombinationRow[] rows) => ml.Data.LoadFromEnumerable(rows);

    /// <summary>The rows with only the features and, when named, the condition column: what an ONNX scorer is given.</summary>
    public static IDataView OnnxView(MLContext ml, CombinationRow[] rows, string? condition) => condition switch
    {
        null => ml.Data.LoadFromEnumerable(rows.Select(r => new CombinationFeatures { Features = r.Features })),
        nameof(CombinationRow.Class) => ml.Data.LoadFromEnumerable(rows.Select(r => new CombinationFeaturesAndKey { Features = r.Features, Class = r.Class })),
        _ => ml.Data.LoadFromEnumerable(rows.Select(r => new CombinationFeaturesAndVector { Features = r.Features, ClassVector = r.ClassVector })),
    };
}
