using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Tests.Support;
namespace Vae.MLNet.Tests.Reliability;

[TestClass]
public sealed class VaeFaultTests
{
    private static VaeOptions Options(string? checkpoint = null) => new()
    {
        LatentDimension = 2, HiddenDimensions = [16], Epochs = 4, BatchSize = 32, LearningRate = 3e-3, Seed = 9,
        ValidationFraction = 0.2, CheckpointPath = checkpoint,
    };

    private static IDataView Data(MLContext ml) => ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(300, seed: 12));

    [TestMethod]
    public void AnInterruptedFitResumesFromItsCheckpointWithTheSameResult()
    {
        var ml = new MLContext();
        var probe = SyntheticData.LinearGaussian(1, seed: 99)[0].Features;
        float[] uninterrupted;
        using (var model = ml.Transforms.VaeEncode(Options()).Fit(Data(ml))) uninterrupted = model.Encode(probe).Mean;

        string path = Path.Combine(Path.GetTempPath(), $"vae-checkpoint-{Guid.NewGuid():N}.zip");
        try
        {
            using var cancellation = new CancellationTokenSource();
            var interrupted = Options(path);
            interrupted.CancellationToken = cancellation.Token;
            interrupted.Progress = new Reporter(m => { if (m.Epoch == 2) cancellation.Cancel(); });
            Assert.ThrowsExactly<OperationCanceledException>(() => ml.Transforms.VaeEncode(interrupted).Fit(Data(ml)));
            Assert.IsTrue(File.Exists(path), "a checkpoint was written after each epoch");

            var resumedEpochs = new List<int>();
            var resume = Options(path);
            resume.Progress = new Reporter(m => resumedEpochs.Add(m.Epoch));
            using var resumed = ml.Transforms.VaeEncode(resume).Fit(Data(ml));
            CollectionAssert.AreEqual(new[] { 3, 4 }, resumedEpochs, "only the missing epochs ran");
            Assert.AreEqual(4, resumed.TrainingHistory.Count);
            CollectionAssert.AreEqual(uninterrupted, resumed.Encode(probe).Mean, "resuming gives the uninterrupted result");

            var other = Options(path);
            other.LearningRate = 0.1;
            var e = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.VaeEncode(other).Fit(Data(ml)));
            StringAssert.Contains(e.Message, "other settings");

            File.WriteAllBytes(path, [1, 2, 3]);
            Assert.ThrowsExactly<InvalidDataException>(() => ml.Transforms.VaeEncode(Options(path)).Fit(Data(ml)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void DivergenceIsReportedWithItsEpochAndBatch()
    {
        var ml = new MLContext(seed: 1);
        var rows = SyntheticData.LinearGaussian(200).Select(r => new LabelledRow { Features = r.Features.Select(v => v * 1e18f).ToArray() }).ToArray();
        var options = new VaeOptions { LatentDimension = 2, HiddenDimensions = [8], Epochs = 3, LearningRate = 10, LearnObservationVariance = false };
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.VaeEncode(options).Fit(ml.Data.LoadFromEnumerable(rows)));
        StringAssert.Contains(e.Message, "diverged at epoch 1, batch");
    }

    [TestMethod]
    public void GradientClippingTrainsAndRejectsANonPositiveBound()
    {
        var ml = new MLContext(seed: 1);
        var options = new VaeOptions { LatentDimension = 2, HiddenDimensions = [8], Epochs = 2, GradientClipNorm = 1.0 };
        using var model = ml.Transforms.VaeEncode(options).Fit(Data(ml));
        Assert.IsTrue(model.TrainingHistory.All(h => double.IsFinite(h.Loss)));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.VaeEncode(new VaeOptions { GradientClipNorm = 0 }));
    }

    private sealed class Reporter(Action<VaeEpochMetrics> report) : IProgress<VaeEpochMetrics>
    {
        public void Report(VaeEpochMetrics value) => report(value);
    }
}
