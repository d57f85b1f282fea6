using Microsoft.ML;

namespace Vae.MLNet.Tests.Support;

/// <summary>Small data sets and checks shared by the training-loop tests.</summary>
internal static class TrainingData
{
    /// <summary>The rows as a view that cannot tell its row count (a stream: each pass enumerates them again).</summary>
    public static IDataView Streaming(MLContext ml, LabelledRow[] rows)
    {
        var view = ml.Data.LoadFromEnumerable(Enumerate(rows));
        Assert.IsNull(view.GetRowCount(), "the streaming view must not know its row count");
        return view;
    }

    private static IEnumerable<LabelledRow> Enumerate(LabelledRow[] rows)
    {
        foreach (var row in rows) yield return row;
    }

    /// <summary>Asserts every value of every weight and buffer (batch-norm statistics included) of the VAE is finite.</summary>
    public static void AssertFiniteWeights(VaeTransformer model, string what)
    {
        foreach (var (name, tensor) in model.Network.state_dict())
        {
            using var values = tensor.detach().cpu().to(TorchSharp.torch.ScalarType.Float32);
            var data = values.data<float>().ToArray();
            Assert.IsTrue(data.All(float.IsFinite), $"{what}: {name} holds {data.First(v => !float.IsFinite(v))}");
        }
    }

    /// <summary>Asserts every output column of the VAE is finite on <paramref name="view"/>.</summary>
    public static void AssertFiniteOutputs(VaeTransformer model, IDataView view, string what)
    {
        var transformed = model.Transform(view);
        foreach (string column in new[] { "LatentMean", "LatentLogVariance", "Reconstruction" })
        {
            var rows = TabularData.Column(transformed, column);
            Assert.IsNotEmpty(rows);
            for (int r = 0; r < rows.Length; r++)
                Assert.IsTrue(rows[r].All(float.IsFinite), $"{what}: {column} of row {r} holds a non-finite value");
        }
    }

    /// <summary>Reports each epoch's metrics to a callback.</summary>
    public sealed class Reporter(Action<VaeEpochMetrics> report) : IProgress<VaeEpochMetrics>
    {
        public void Report(VaeEpochMetrics value) => report(value);
    }
}
