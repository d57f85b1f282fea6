using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using Vae.MLNet.Networks;
using Vae.MLNet.Training;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.Training;

[TestClass]
public sealed class TrainingVariantTests
{
    private static VaeTransformer Train(Action<VaeOptions> change, int rows = 400)
    {
        var ml = new MLContext(seed: 8);
        var options = new VaeOptions { LatentDimension = 3, HiddenDimensions = [32], Epochs = 8, BatchSize = 64, LearningRate = 3e-3 };
        change(options);
        return ml.Transforms.VaeEncode(options).Fit(ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(rows)));
    }

    [TestMethod]
    public void SeveralSamplesPerPointTrainTheSameObjective()
    {
        using var one = Train(_ => { });
        using var five = Train(o => o.SamplesPerPoint = 5);
        var last = five.TrainingHistory[^1];
        Assert.IsTrue(last.Loss < five.TrainingHistory[0].Loss);
        Assert.AreEqual(last.ReconstructionLoss + last.KlDivergence, last.Loss, 1e-6, "reported per row, not per sample");
        Assert.AreEqual(one.TrainingHistory[^1].Loss, last.Loss, 0.5 * Math.Abs(one.TrainingHistory[^1].Loss) + 5, "same scale as one sample");
    }

    [TestMethod]
    public void TheImportanceWeightedObjectiveIsTighterThanTheElbo()
    {
        using var model = Train(o => { o.SamplesPerPoint = 10; o.ImportanceWeightedTraining = true; });
        foreach (var epoch in model.TrainingHistory)
            Assert.IsTrue(epoch.Loss < epoch.ReconstructionLoss + epoch.KlDivergence, $"epoch {epoch.Epoch}: −IWAE {epoch.Loss} vs −ELBO {epoch.ReconstructionLoss + epoch.KlDivergence}");
        Assert.IsTrue(model.TrainingHistory[^1].Loss < model.TrainingHistory[0].Loss);
        Assert.ThrowsExactly<ArgumentException>(() => Train(o => { o.ImportanceWeightedTraining = true; o.Beta = 4; }));
    }

    [TestMethod]
    public void CorruptionMasksOrPerturbsTheEncoderInputOnly()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(1000, 4);
        var masked = InputCorruption.Apply(x, VaeInputCorruption.Masking, 0.3);
        Assert.AreEqual(0.7, masked.mean().item<float>(), 0.02, "30% of values zeroed");
        Assert.IsTrue(masked.data<float>().ToArray().All(v => v is 0 or 1));
        var noisy = InputCorruption.Apply(x, VaeInputCorruption.Gaussian, 0.5);
        Assert.AreEqual(0.5, (noisy - x).std().item<float>(), 0.02);
        Assert.AreEqual(4000f, x.sum().item<float>(), "the clean target is untouched");

        using var denoising = Train(o => { o.InputCorruption = VaeInputCorruption.Gaussian; o.CorruptionLevel = 0.2; });
        Assert.IsTrue(denoising.TrainingHistory[^1].Loss < denoising.TrainingHistory[0].Loss);
    }

    [TestMethod]
    public void KlWarmUpStartsWithASmallKlWeight()
    {
        using var model = Train(o => { o.KlWarmupEpochs = 4; o.Epochs = 4; });
        var h = model.TrainingHistory;
        // Loss = reconstruction + (epoch / 4) · KL.
        for (int e = 0; e < 4; e++)
            Assert.AreEqual(h[e].ReconstructionLoss + (e + 1) / 4.0 * h[e].KlDivergence, h[e].Loss, 1e-6);
    }
}
