using System.Diagnostics;
using Microsoft.ML;
using Vae.MLNet.Examples.Datasets;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.EndToEnd;

/// <summary>The acceptance runs on real MNIST (pytorch/examples configuration); minutes, not seconds.</summary>
[TestClass]
[TestCategory("Slow")]
[DoNotParallelize]
public sealed class MnistVaeTests
{
    // One libtorch intra-op thread and a fixed seed make the run repeat on a machine (across CPUs libtorch's kernels
    // may round differently, so the figures can move in the last digits).
    private static VaeOptions ReferenceOptions() => new()
    {
        InputColumnName = "Pixels", LatentDimension = 20, HiddenDimensions = [400], Likelihood = VaeLikelihood.Bernoulli,
        Epochs = 10, BatchSize = 128, LearningRate = 1e-3, Seed = 1, TrainingThreads = 1,
    };

    private sealed class Prediction
    {
        public float[] LatentMean { get; set; } = [];
        public uint PredictedLabel { get; set; }
    }

    [TestMethod]
    public void MlpMatchesThePyTorchReferenceAndItsLatentsClassifyDigitsAfterSaveAndLoad()
    {
        string folder = SharedData.Folder("mnist");
        var clock = Stopwatch.StartNew();
        var ml = new MLContext(seed: 0);
        var train = ml.Data.LoadFromEnumerable(Mnist.Load(folder, train: true));
        var test = ml.Data.LoadFromEnumerable(Mnist.Load(folder, train: false));
        // The cache before VaeEncode gives it a view that can shuffle, so every epoch reshuffles the rows as
        // pytorch/examples' DataLoader(shuffle=True) does (LoadFromEnumerable alone reads them in order).
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .AppendCacheCheckpoint(ml)
            .Append(ml.Transforms.VaeEncode(ReferenceOptions()))
            .AppendCacheCheckpoint(ml)
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(featureColumnName: "LatentMean"));
        using var model = pipeline.Fit(train);
        var vae = model.OfType<VaeTransformer>().Single();
        Console.WriteLine($"fit (10 epochs and the classifier): {clock.Elapsed.TotalSeconds:F0} s");

        var metrics = vae.Evaluate(test);
        Console.WriteLine($"test negative ELBO {-metrics.Elbo:F2} (reconstruction {metrics.ReconstructionLoss:F2}, KL {metrics.KlDivergence:F2}), active units {metrics.ActiveUnits}");
        // PyTorch 1.13.1 with pytorch/examples' VAE: 105.40, 105.67, 105.81 for seeds 1-3 (published: about 105.6).
        Assert.IsTrue(-metrics.Elbo <= 106, $"test negative ELBO {-metrics.Elbo:F2}");

        var predictions = model.Transform(test);
        var accuracy = ml.MulticlassClassification.Evaluate(predictions).MicroAccuracy;
        Console.WriteLine($"logistic regression on the latent means: test accuracy {accuracy:F4}");
        // The figure moves with the seed by more than its distance to 0.89, for PyTorch's reference as for us (AMD
        // machine, 2026-12-07, seeds 1-3: here 0.8863, 0.8883, 0.8920; the same classifier on pytorch/examples' latent
        // means 0.8919, 0.8898, 0.8887), so the test holds it to 0.885, not the 0.89.
        Assert.IsTrue(accuracy >= 0.885, $"accuracy {accuracy:F4}");

        string path = Path.Combine(Path.GetTempPath(), $"mnist-vae-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, test.Schema, path);
            var fresh = new MLContext();
            var loaded = fresh.Model.Load(path, out _);
            var before = ml.Data.CreateEnumerable<Prediction>(predictions, false, ignoreMissingColumns: true).ToArray();
            var after = fresh.Data.CreateEnumerable<Prediction>(loaded.Transform(test), false, ignoreMissingColumns: true).ToArray();
            Assert.HasCount(10_000, before);
            Assert.HasCount(before.Length, after);
            for (int i = 0; i < before.Length; i++)
            {
                CollectionAssert.AreEqual(before[i].LatentMean, after[i].LatentMean, $"row {i}");
                Assert.AreEqual(before[i].PredictedLabel, after[i].PredictedLabel, $"row {i}");
            }
        }
        finally
        {
            File.Delete(path);
        }
        Console.WriteLine($"total: {clock.Elapsed.TotalSeconds:F0} s");
    }

    [TestMethod]
    public void ConvolutionalVaeBeatsTheMlpAtEqualEpochs()
    {
        string folder = SharedData.Folder("mnist");
        var ml = new MLContext(seed: 0);
        var train = ml.Data.LoadFromEnumerable(Mnist.Load(folder, train: true));
        var test = ml.Data.LoadFromEnumerable(Mnist.Load(folder, train: false));
        const int epochs = 3;
        var mlpOptions = ReferenceOptions();
        mlpOptions.Epochs = epochs;
        var convOptions = ReferenceOptions();
        convOptions.Epochs = epochs;
        convOptions.Architecture = VaeArchitecture.Convolutional;
        convOptions.ImageShape = [1, 28, 28];
        convOptions.HiddenDimensions = [32, 64];
        var cached = ml.Data.Cache(train);
        using var mlp = ml.Transforms.VaeEncode(mlpOptions).Fit(cached);
        using var conv = ml.Transforms.VaeEncode(convOptions).Fit(cached);
        double mlpNll = -mlp.Evaluate(test).Elbo, convNll = -conv.Evaluate(test).Elbo;
        Console.WriteLine($"test negative ELBO after {epochs} epochs: MLP {mlpNll:F2}, convolutional {convNll:F2}");
        Assert.IsTrue(convNll < mlpNll, $"convolutional {convNll:F2} vs MLP {mlpNll:F2}");
    }
}
