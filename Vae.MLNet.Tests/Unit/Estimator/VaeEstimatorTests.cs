using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.Estimator;

[TestClass]
public sealed class VaeEstimatorTests
{
    private sealed class LatentRow
    {
        public float[] LatentMean { get; set; } = [];
        public float[] LatentLogVariance { get; set; } = [];
        public float[] Reconstruction { get; set; } = [];
        public float Label { get; set; }
    }

    private static VaeOptions FastOptions(int epochs = 15) => new()
    {
        LatentDimension = 2, HiddenDimensions = [32], Epochs = epochs, BatchSize = 64, LearningRate = 3e-3, Seed = 7,
    };

    [TestMethod]
    public void FitAppendsLatentAndReconstructionColumnsWithSizesAndSlotNames()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(300));
        using var model = ml.Transforms.VaeEncode(FastOptions(epochs: 2)).Fit(data);
        var schema = model.Transform(data).Schema;
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 2), schema["LatentMean"].Type);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 2), schema["LatentLogVariance"].Type);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, SyntheticData.Dimension), schema["Reconstruction"].Type);
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        schema["LatentMean"].GetSlotNames(ref names);
        CollectionAssert.AreEqual(new[] { "z0", "z1" }, names.DenseValues().Select(n => n.ToString()).ToArray());
        Assert.AreEqual(2, model.TrainingHistory.Count);
        Assert.AreEqual(2, model.LatentDimension);
        Assert.AreEqual(SyntheticData.Dimension, model.InputDimension);
    }

    [TestMethod]
    public void LatentMeansRecoverTheClassStructureOfALinearGaussianModel()
    {
        var ml = new MLContext(seed: 1);
        var rows = SyntheticData.LinearGaussian(1500, classes: 3);
        var data = ml.Data.LoadFromEnumerable(rows);
        using var model = ml.Transforms.VaeEncode(FastOptions(epochs: 25)).Fit(data);
        var latents = ml.Data.CreateEnumerable<LatentRow>(model.Transform(data), reuseRowObject: false).ToArray();
        double accuracy = SyntheticData.NearestCentroidAccuracy(latents.Select(r => r.LatentMean).ToArray(), latents.Select(r => r.Label).ToArray());
        Assert.IsTrue(accuracy > 0.9, $"nearest-centroid accuracy on the latent means: {accuracy:F3}");
        var history = model.TrainingHistory;
        Assert.IsTrue(history[^1].Loss < history[0].Loss, $"loss {history[0].Loss} → {history[^1].Loss}");
        Assert.IsTrue(history.All(h => h.KlDivergence >= 0));
    }

    [TestMethod]
    public void TheSameSeedGivesTheSameModel()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(200));
        float[] Latent()
        {
            using var model = ml.Transforms.VaeEncode(FastOptions(epochs: 3)).Fit(data);
            return model.Encode(SyntheticData.LinearGaussian(1, seed: 99)[0].Features).Mean;
        }
        CollectionAssert.AreEqual(Latent(), Latent());
    }

    [TestMethod]
    public void SavedAndLoadedChainsGiveIdenticalLatentMeans()
    {
        var ml = new MLContext(seed: 3);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(300));
        var pipeline = ml.Transforms.NormalizeMeanVariance("Features").Append(ml.Transforms.VaeEncode(FastOptions(epochs: 2)));
        var model = pipeline.Fit(data);
        string path = Path.Combine(Path.GetTempPath(), $"vae-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            var loaded = new MLContext().Model.Load(path, out var schema);
            Assert.AreEqual(data.Schema.Count, schema.Count);
            var before = ml.Data.CreateEnumerable<LatentRow>(model.Transform(data), false).ToArray();
            var after = ml.Data.CreateEnumerable<LatentRow>(loaded.Transform(data), false).ToArray();
            for (int i = 0; i < before.Length; i++)
            {
                CollectionAssert.AreEqual(before[i].LatentMean, after[i].LatentMean, $"row {i}");
                CollectionAssert.AreEqual(before[i].Reconstruction, after[i].Reconstruction, $"row {i}");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void PredictionEngineMatchesTheBatchedTransform()
    {
        var ml = new MLContext(seed: 5);
        var rows = SyntheticData.LinearGaussian(100);
        var data = ml.Data.LoadFromEnumerable(rows);
        using var model = ml.Transforms.VaeEncode(FastOptions(epochs: 2)).Fit(data);
        var engine = ml.Model.CreatePredictionEngine<LabelledRow, LatentRow>(model);
        var batched = ml.Data.CreateEnumerable<LatentRow>(model.Transform(data), false).ToArray();
        for (int i = 0; i < 10; i++)
        {
            var single = engine.Predict(rows[i]);
            for (int j = 0; j < 2; j++) Assert.AreEqual(batched[i].LatentMean[j], single.LatentMean[j], 1e-5);
            CollectionAssert.AreEqual(model.Encode(rows[i].Features).Mean.Select(v => Math.Round(v, 5)).ToArray(), single.LatentMean.Select(v => Math.Round(v, 5)).ToArray());
        }
    }

    [TestMethod]
    public void ProgressLogAndHistoryReportEveryEpoch()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        // The estimator logs through its IHost, so its messages reach MLContext.Log with its name as the source.
        ml.Log += (_, e) => { if (e.Source.StartsWith(nameof(VaeEstimator), StringComparison.Ordinal)) lock (messages) messages.Add(e.RawMessage); };
        var reports = new List<VaeEpochMetrics>();
        var options = FastOptions(epochs: 3);
        options.Progress = new SynchronousProgress<VaeEpochMetrics>(reports.Add);
        using var model = ml.Transforms.VaeEncode(options).Fit(ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(200)));
        Assert.AreEqual(3, reports.Count);
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, reports.Select(r => r.Epoch).ToArray());
        Assert.AreEqual(3, messages.Count(m => m.StartsWith("epoch ", StringComparison.Ordinal)), string.Join("\n", messages));
        Assert.IsTrue(messages.Any(m => m.StartsWith("training a Mlp VAE 20 → 2", StringComparison.Ordinal)), string.Join("\n", messages));
        Assert.IsTrue(reports.All(r => r.Seconds > 0 && Math.Abs(r.Loss - (r.ReconstructionLoss + r.KlDivergence)) < 1e-6));
    }

    [TestMethod]
    public void ValidationSplitReportsAValidationLossAndStopsEarly()
    {
        var ml = new MLContext(seed: 1);
        var options = FastOptions(epochs: 200);
        options.ValidationFraction = 0.25;
        options.EarlyStoppingPatience = 2;
        using var model = ml.Transforms.VaeEncode(options).Fit(ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(200)));
        Assert.IsTrue(model.TrainingHistory.All(h => h.ValidationLoss is double v && double.IsFinite(v)));
        Assert.IsTrue(model.TrainingHistory.Count < 200, "training should stop once the validation loss stops improving");
    }

    [TestMethod]
    public void CancellationStopsFit()
    {
        var ml = new MLContext(seed: 1);
        using var cancellation = new CancellationTokenSource();
        var options = FastOptions(epochs: 1000);
        options.CancellationToken = cancellation.Token;
        options.Progress = new SynchronousProgress<VaeEpochMetrics>(m => { if (m.Epoch == 2) cancellation.Cancel(); });
        Assert.ThrowsExactly<OperationCanceledException>(() =>
            ml.Transforms.VaeEncode(options).Fit(ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(200))));
    }

    [TestMethod]
    public void DirectEncodeDecodeAndSampleHaveTheRightSizesAndSeededSamplesRepeat()
    {
        var ml = new MLContext(seed: 1);
        var options = FastOptions(epochs: 2);
        options.Likelihood = VaeLikelihood.Bernoulli;
        var rows = SyntheticData.LinearGaussian(100).Select(r => new LabelledRow { Features = r.Features.Select(v => 1 / (1 + MathF.Exp(-v))).ToArray() }).ToArray();
        using var model = ml.Transforms.VaeEncode(options).Fit(ml.Data.LoadFromEnumerable(rows));
        var (mean, logVariance) = model.Encode(rows[0].Features);
        Assert.AreEqual(2, mean.Length);
        Assert.AreEqual(2, logVariance.Length);
        var decoded = model.Decode(mean);
        Assert.AreEqual(SyntheticData.Dimension, decoded.Length);
        Assert.IsTrue(decoded.All(p => p is > 0 and < 1), "Bernoulli decodes to probabilities");
        CollectionAssert.AreEqual(decoded, model.Reconstruct(rows[0].Features));
        CollectionAssert.AreEqual(model.Sample(4, 11)[3], model.Sample(4, seed: 11)[3], "Sample(count, seed) with a positional seed");
        var a = model.Sample(4, seed: 11);
        var b = model.Sample(4, seed: 11);
        Assert.AreEqual(4, a.Length);
        for (int i = 0; i < 4; i++) CollectionAssert.AreEqual(a[i], b[i]);
        Assert.ThrowsExactly<ArgumentException>(() => model.Decode([1f]));
    }

    [TestMethod]
    public void ConvolutionalArchitectureTrainsOnImages()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(3);
        // 8×8 images of a bright horizontal or vertical bar.
        var images = Enumerable.Range(0, 200).Select(_ =>
        {
            bool horizontal = random.Next(2) == 0;
            int at = random.Next(8);
            return new ImageRow { Pixels = Enumerable.Range(0, 64).Select(p => (horizontal ? p / 8 == at : p % 8 == at) ? 0.95f : 0.05f).ToArray() };
        }).ToArray();
        var options = new VaeOptions
        {
            InputColumnName = "Pixels", Architecture = VaeArchitecture.Convolutional, ImageShape = [1, 8, 8], HiddenDimensions = [8, 16],
            LatentDimension = 4, Likelihood = VaeLikelihood.Bernoulli, Epochs = 10, BatchSize = 32, LearningRate = 3e-3, UseBatchNorm = true,
        };
        using var model = ml.Transforms.VaeEncode(options).Fit(ml.Data.LoadFromEnumerable(images));
        Assert.IsTrue(model.TrainingHistory[^1].Loss < model.TrainingHistory[0].Loss);
        Assert.AreEqual(64, model.Reconstruct(images[0].Pixels).Length);
    }

    public sealed class ImageRow
    {
        [VectorType(64)]
        public float[] Pixels { get; set; } = [];
    }

    /// <summary>An IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
