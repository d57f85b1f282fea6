using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Tests.Support.ModelFiles;

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
/// <param name="Bytes">The zip as <c>ml.Model.Save</c> wrote it.</param>
/// <param name="Data">Rows the model transforms.</param>
internal sealed record ModelSample(string Name, byte[] Bytes, IDataView Data);

/// <summary>
/// The valid models the reliability tests damage: a trained tiny VAE saved alone ("vae"), and the same kind of VAE
/// inside a chain after an ML.NET normalizer ("chain"), so its entries sit in a sub-folder of ML.NET's chain. Built
/// once per test run, in well under a second each.
/// </summary>
internal static class ModelSamples
{
    private static readonly Lazy<ModelSample[]> _all = new(Build);

    public static ModelSample Vae => _all.Value[0];

    public static ModelSample Chain => _all.Value[1];

    public static IReadOnlyList<ModelSample> All => _all.Value;

    public static ModelSample ByName(string name) => All.Single(s => s.Name == name);

    /// <summary>Options of the tiny VAE used throughout these tests (4 inputs, one hidden layer of 4, 2 latents).</summary>
    public static VaeOptions TinyVae() => new() { LatentDimension = 2, HiddenDimensions = [4], Epochs = 1, BatchSize = 16, Seed = 1 };

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
        using var vae = ml.Transforms.VaeEncode(TinyVae()).Fit(data);
        var chain = ml.Transforms.NormalizeMinMax("Features").Append(ml.Transforms.VaeEncode(TinyVae())).Fit(data);
        var samples = new ModelSample[] { new("vae", Save(ml, vae, data.Schema), data), new("chain", Save(ml, chain, data.Schema), data) };
        chain.LastTransformer.Dispose();
        return samples;
    }
}
