using Microsoft.ML;
using TorchSharp;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.Training;

/// <summary>
/// Settings of the training loop on TorchSharp: libtorch's intra-op threads, the observation variance, β, and early
/// stopping that keeps the best weights. Not parallel with other classes: TrainingThreads sets a process-wide setting.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class TrainingOptionsTests
{
    private static readonly float[] Probe = SyntheticData.LinearGaussian(1, seed: 99)[0].Features;

    private static VaeOptions Options(Action<VaeOptions>? change = null)
    {
        var o = new VaeOptions { LatentDimension = 2, HiddenDimensions = [16], Epochs = 3, BatchSize = 32, LearningRate = 3e-3, Seed = 5 };
        change?.Invoke(o);
        return o;
    }

    private static VaeTransformer Fit(VaeOptions options, int rows = 200)
    {
        var ml = new MLContext();
        return ml.Transforms.VaeEncode(options).Fit(ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(rows, seed: 3)));
    }

    [TestMethod]
    public void TrainingThreadsSetLibtorchsThreadsDuringFitAndPutThemBack()
    {
        int before = torch.get_num_threads();
        int wanted = before == 1 ? 2 : 1;
        var during = new List<int>();
        using var model = Fit(Options(o => { o.TrainingThreads = wanted; o.Progress = new Reporter(_ => during.Add(torch.get_num_threads())); }));
        CollectionAssert.AreEqual(new[] { wanted, wanted, wanted }, during, "each epoch ran with the requested threads");
        Assert.AreEqual(before, torch.get_num_threads(), "the setting is restored after Fit");
        using var again = Fit(Options(o => o.TrainingThreads = wanted));
        CollectionAssert.AreEqual(model.Encode(Probe).Mean, again.Encode(Probe).Mean, "the same seed and thread count give the same model");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new MLContext().Transforms.VaeEncode(Options(o => o.TrainingThreads = -1)));
    }

    [TestMethod]
    public void AFixedObservationVarianceStaysAndALearnedOneMoves()
    {
        using var fixedModel = Fit(Options(o => { o.LearnObservationVariance = false; o.ObservationVariance = 0.25; }));
        using var learned = Fit(Options(o => { o.LearnObservationVariance = true; o.ObservationVariance = 0.25; }));
        using var noGrad = torch.no_grad();
        var fixedValues = fixedModel.Network.ObservationLogVariance()!.data<float>().ToArray();
        var learnedValues = learned.Network.ObservationLogVariance()!.data<float>().ToArray();
        Assert.IsTrue(fixedValues.All(v => Math.Abs(v - Math.Log(0.25)) < 1e-6), "a fixed variance is not trained");
        Assert.IsFalse(fixedModel.Network.named_parameters().Any(p => p.name == "observation_log_variance"), "and it is no parameter");
        Assert.IsTrue(learned.Network.named_parameters().Any(p => p.name == "observation_log_variance"));
        Assert.IsTrue(learnedValues.Any(v => Math.Abs(v - Math.Log(0.25)) > 1e-3), "a learned variance moves from its start");
    }

    [TestMethod]
    public void BetaWeightsTheKlTermOfTheReportedLoss()
    {
        using var model = Fit(Options(o => o.Beta = 4));
        foreach (var h in model.TrainingHistory)
            Assert.AreEqual(h.ReconstructionLoss + 4 * h.KlDivergence, h.Loss, 1e-6, $"epoch {h.Epoch}");
        using var plain = Fit(Options());
        Assert.IsGreaterThan(model.TrainingHistory[^1].KlDivergence, plain.TrainingHistory[^1].KlDivergence, "a larger β keeps the posterior closer to the prior");
    }

    [TestMethod]
    public void EarlyStoppingKeepsTheWeightsOfTheBestValidationEpoch()
    {
        var stopping = Options(o => { o.Epochs = 200; o.ValidationFraction = 0.3; o.EarlyStoppingPatience = 2; o.LearningRate = 3e-2; });
        using var model = Fit(stopping);
        var history = model.TrainingHistory;
        Assert.IsLessThan(200, history.Count, "training stopped early");
        int best = history.MinBy(h => h.ValidationLoss!.Value)!.Epoch;
        Assert.AreEqual(best + 2, history.Count, "it stopped after `patience` epochs without a better validation loss");
        // The same run cut at the best epoch ends with the weights the early-stopped model kept.
        // Patience is left at its default: below Epochs = best it would be refused, and the cut run never waits that long anyway.
        using var cut = Fit(Options(o => { o.Epochs = best; o.ValidationFraction = 0.3; o.LearningRate = 3e-2; }));
        CollectionAssert.AreEqual(cut.Encode(Probe).Mean, model.Encode(Probe).Mean, $"the weights after epoch {best}");
    }

    [TestMethod]
    public void ATinyGradientClipNormHoldsTheWeightsNearTheirInitialization()
    {
        // Adam divides by √v, so clipping to 1e-12 leaves steps of about lr · 1e-12 / ε (ε = 1e-8): the weights stay put.
        var clipped = Options(o => o.GradientClipNorm = 1e-12);
        using var model = Fit(clipped);
        using var free = Fit(Options());
        using var generator = new torch.Generator(5);
        using var initial = new Vae.MLNet.Networks.VaeNetwork(model.Network.Spec, generator);
        float Moved(VaeTransformer m) => m.Network.named_parameters().Zip(initial.named_parameters())
            .Where(p => p.First.name.EndsWith(".weight", StringComparison.Ordinal))
            .Max(p => (p.First.parameter - p.Second.parameter).abs().max().item<float>());
        Assert.IsLessThan(1e-4f, Moved(model), "clipped to 1e-12");
        Assert.IsGreaterThan(1e-3f, Moved(free), "unclipped");
    }

    [TestMethod]
    public void TheMlContextsSeedIsTheDefaultSeed()
    {
        float[] Latent(int contextSeed, int? optionSeed)
        {
            var ml = new MLContext(seed: contextSeed);
            using var model = ml.Transforms.VaeEncode(Options(o => o.Seed = optionSeed)).Fit(ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(200, seed: 3)));
            return model.Encode(Probe).Mean;
        }
        CollectionAssert.AreEqual(Latent(21, null), Latent(21, null));
        CollectionAssert.AreNotEqual(Latent(21, null), Latent(22, null));
        CollectionAssert.AreEqual(Latent(21, 8), Latent(22, 8), "VaeOptions.Seed wins over the context's");
    }

    [TestMethod]
    public void FitWarnsInMlContextLogWhenTheViewCannotShuffle()
    {
        var ml = new MLContext(seed: 1);
        var warnings = new List<string>();
        ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning && e.Source.StartsWith(nameof(VaeEstimator), StringComparison.Ordinal)) lock (warnings) warnings.Add(e.RawMessage); };
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(100));
        Assert.IsFalse(data.CanShuffle);
        using (ml.Transforms.VaeEncode(Options(o => o.Epochs = 1)).Fit(data)) { }
        Assert.HasCount(1, warnings);
        StringAssert.Contains(warnings[0], "AppendCacheCheckpoint");
        using (ml.Transforms.VaeEncode(Options(o => o.Epochs = 1)).Fit(ml.Data.Cache(data))) { }
        Assert.HasCount(1, warnings, "a cached view shuffles: no warning");
    }

    private sealed class Reporter(Action<VaeEpochMetrics> report) : IProgress<VaeEpochMetrics>
    {
        public void Report(VaeEpochMetrics value) => report(value);
    }
}
