using Vae.MLNet.Data;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>A row of the small data set every sample model is trained on and transforms.</summary>
public sealed class SampleRow
{
    /// <summary>Four features.</summary>
    [VectorType(4)]
    public float[] Features { get; set; } = [];

    /// <summary>A scalar feature.</summary>
    public float A { get; set; }

    /// <summary>A binary label.</summary>
    public bool Label { get; set; }
}

/// <summary>A valid saved model, the data it was trained on, and what it produces on that data.</summary>
/// <param name="Name">A short name; corpus files of this sample start with it.</param>
/// <param name="Bytes">The saved zip.</param>
/// <param name="Data">Rows the model transforms.</param>
internal sealed record ModelSample(string Name, byte[] Bytes, IDataView Data);

/// <summary>
/// The valid models the reliability tests mutate: a chain of normalizers, a trained tiny VAE and a calibrated
/// linear trainer (whose file nests sub-models). Built once per test run; each takes well under a second.
/// </summary>
internal static class ModelSamples
{
    private static readonly Lazy<ModelSample[]> _all = new(Build);

    public static ModelSample Normalizer => _all.Value[0];

    public static ModelSample Vae => _all.Value[1];

    public static ModelSample Trainer => _all.Value[2];

    public static IReadOnlyList<ModelSample> All => _all.Value;

    public static ModelSample ByName(string name) => All.Single(s => s.Name == name);

    /// <summary>Options of the tiny VAE used throughout these tests.</summary>
    public static VaeOptions TinyVae() => new() { LatentDimension = 2, HiddenDimensions = [4], Epochs = 1, Seed = 1 };

    /// <summary>Deterministic rows: features spread over [-2, 2], the label their sum's sign.</summary>
    public static SampleRow[] Rows(int count = 32, int seed = 7)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var features = Enumerable.Range(0, 4).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
            return new SampleRow { Features = features, A = (float)random.NextDouble(), Label = features.Sum() > 0 };
        }).ToArray();
    }

    public static byte[] Save(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, schema, stream);
        return stream.ToArray();
    }

    private static ModelSample[] Build()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows());
        var normalizer = ml.Transforms.Concatenate("Combined", "Features", "A")
            .Append(ml.Transforms.NormalizeMinMax("Combined"))
            .Append(ml.Transforms.NormalizeMeanVariance("Cdf", "Combined", useCdf: true))
            .Fit(data);
        using var vae = ml.Transforms.VaeEncode(TinyVae()).Fit(data);
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(labelColumnName: "Label", featureColumnName: "Features").Fit(data);
        return
        [
            new("normalizer", Save(ml, normalizer, data.Schema), data),
            new("vae", Save(ml, vae, data.Schema), data),
            new("trainer", Save(ml, trainer, data.Schema), data),
        ];
    }
}
