using Microsoft.ML;
using Vae.MLNet.Autoencoder;
using Vae.MLNet.OptionChecks;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.OptionChecks;

/// <summary>
/// The applicability tables (<see cref="VaeOptionApplicability"/>, <see cref="AutoencoderOptionApplicability"/>): each
/// rule refuses an option that is set where it has no effect, naming it and the options it conflicts with, accepts
/// it once it applies, and is documented in docs/option-combinations.md.
/// </summary>
[TestClass]
public sealed class OptionApplicabilityTests
{
    // (an option set where it has no effect, the same made to apply)
    private static readonly (Action<VaeOptions> Ignored, Action<VaeOptions> Applies)[] VaeExamples =
    [
        (o => { o.Likelihood = VaeLikelihood.Bernoulli; o.ObservationVariance = 0.5; }, o => o.Likelihood = VaeLikelihood.Gaussian),
        (o => { o.Likelihood = VaeLikelihood.Bernoulli; o.LearnObservationVariance = false; }, o => o.Likelihood = VaeLikelihood.Gaussian),
        (o => o.CorruptionLevel = 0.3, o => o.InputCorruption = VaeInputCorruption.Gaussian),
        (o => { o.InputCorruption = VaeInputCorruption.Masking; o.CorruptionLevel = 0; }, o => o.CorruptionLevel = 0.2),
        (o => { o.KlWarmupEpochs = 3; o.Beta = 0; }, o => o.Beta = 0.5),
        (o => o.KlWarmupEpochs = 1, o => o.KlWarmupEpochs = 2),
        (o => { o.FreeBits = 0.1; o.Beta = 0; }, o => o.Beta = 2),
        (o => o.ImportanceWeightedTraining = true, o => o.SamplesPerPoint = 4),
        (o => o.AnomalyScoreImportanceSamples = 5, o => o.AnomalyScoreColumnName = "Score"),
        (o => o.RefinementLearningRate = 0.1, o => o.RefinementSteps = 3),
        (o => o.EarlyStoppingPatience = 3, o => o.ValidationFraction = 0.2),
        (o => { o.EarlyStoppingPatience = 3; o.Epochs = 3; o.ValidationFraction = 0.2; }, o => o.Epochs = 4),
        (o => o.CheckpointFrequency = 2, o => o.CheckpointPath = "vae.checkpoint"),
        (o => o.ImageShape = [1, 4, 4], o => o.Architecture = VaeArchitecture.Convolutional),
    ];

    private static readonly (Action<AutoencoderOptions> Ignored, Action<AutoencoderOptions> Applies)[] AutoencoderExamples =
    [
        (o => o.SparsityWeight = 0.1, o => o.Sparsity = AutoencoderSparsity.L1),
        (o => { o.Sparsity = AutoencoderSparsity.L1; o.SparsityTarget = 0.1; },
            o => { o.Sparsity = AutoencoderSparsity.KlToTarget; o.LatentActivation = AutoencoderLatentActivation.Sigmoid; }),
        (o => { o.Sparsity = AutoencoderSparsity.L1; o.SparsityWeight = 0; }, o => o.SparsityWeight = 0.1),
        (o => o.CorruptionLevel = 0.1, o => o.Corruption = CorruptionKind.Masking),
        (o => { o.Corruption = CorruptionKind.Gaussian; o.CorruptionLevel = 0; }, o => o.CorruptionLevel = 0.2),
        (o => o.EarlyStoppingPatience = 3, o => o.ValidationFraction = 0.2),
        (o => { o.EarlyStoppingPatience = 3; o.Epochs = 3; o.ValidationFraction = 0.2; }, o => o.Epochs = 4),
        (o => o.CheckpointFrequency = 2, o => o.CheckpointPath = "autoencoder.checkpoint"),
    ];

    [TestMethod]
    public void EveryVaeRuleRefusesAnOptionWithoutEffectAndAcceptsItWhereItApplies() =>
        CheckTable(VaeExamples, VaeOptionApplicability.Rules, VaeOptionsValidation.Validate);

    [TestMethod]
    public void EveryAutoencoderRuleRefusesAnOptionWithoutEffectAndAcceptsItWhereItApplies() =>
        CheckTable(AutoencoderExamples, AutoencoderOptionApplicability.Rules, AutoencoderOptionsValidation.Validate);

    [TestMethod]
    public void TheCatalogRefusesBeforeAnyDataIsSeen()
    {
        var ml = new MLContext();
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.VaeEncode(new VaeOptions { Likelihood = VaeLikelihood.Bernoulli, ObservationVariance = 0.5 }));
        Assert.AreEqual("ObservationVariance", e.ParamName);
        StringAssert.Contains(e.Message, "ObservationVariance = 0.5 has no effect with Likelihood = Bernoulli: ");
        var a = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.AutoencoderEncode(new AutoencoderOptions { SparsityTarget = 0.2 }));
        Assert.AreEqual("SparsityTarget", a.ParamName);
        StringAssert.Contains(a.Message, "SparsityTarget = 0.2 has no effect with Sparsity = None: ");
    }

    [TestMethod]
    public void AnObservationVarianceIsRefusedAtFitWhenSlotLikelihoodsLeaveNoGaussianSlot()
    {
        var ml = new MLContext(seed: 1);
        var rows = CombinationData.Rows(24, missing: false);
        // Slots 0–1 Bernoulli and 2–4 one categorical group: all of a 5-slot input, one Gaussian slot short of 6.
        var five = ml.Data.LoadFromEnumerable(rows.Select(r => new FiveFeatures { Features = r.Features[..5] }));
        var six = ml.Data.LoadFromEnumerable(rows.Select(r => new SixFeatures { Features = r.Features[..6] }));
        foreach (Action<VaeOptions> set in new Action<VaeOptions>[] { o => o.ObservationVariance = 0.5, o => o.LearnObservationVariance = false })
        {
            int epochs = 0;
            var options = new VaeOptions { LatentDimension = 2, HiddenDimensions = [4], Epochs = 1, SlotLikelihoods = CombinationData.Slots, Progress = new Counter(() => epochs++) };
            set(options);
            var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.VaeEncode(options).Fit(five));
            Assert.AreEqual(0, epochs, "refused before training");
            Assert.IsTrue(e.ParamName is "ObservationVariance" or "LearnObservationVariance", e.ParamName);
            StringAssert.Contains(e.Message, $"{e.ParamName} = ");
            StringAssert.Contains(e.Message, "SlotLikelihoods");
            StringAssert.Contains(e.Message, VaeOptionApplicability.NoGaussianSlotReason);
            using var fitted = ml.Transforms.VaeEncode(options).Fit(six);
            Assert.AreEqual(1, epochs, "with a Gaussian slot left the option applies");
        }
    }

    private sealed class FiveFeatures
    {
        [Microsoft.ML.Data.VectorType(5)] public float[] Features { get; set; } = [];
    }

    private sealed class SixFeatures
    {
        [Microsoft.ML.Data.VectorType(6)] public float[] Features { get; set; } = [];
    }

    private sealed class Counter(Action report) : IProgress<VaeEpochMetrics>
    {
        public void Report(VaeEpochMetrics value) => report();
    }

    [TestMethod]
    public void TheDefaultsSetNothing()
    {
        Assert.IsFalse(VaeOptionApplicability.Rules.Any(r => r.IsSet(new VaeOptions())), "a rule calls a default 'set'");
        Assert.IsFalse(AutoencoderOptionApplicability.Rules.Any(r => r.IsSet(new AutoencoderOptions())), "a rule calls a default 'set'");
    }

    [TestMethod]
    public void EveryRuleIsInTheUserDocumentation()
    {
        string doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "option-combinations.md"));
        var lines = doc.Split('\n');
        var missing = VaeOptionApplicability.Rules.Select(r => Row(r.Option, r.Conflicting, r.Reason))
            .Concat(AutoencoderOptionApplicability.Rules.Select(r => Row(r.Option, r.Conflicting, r.Reason)))
            .Where(row => !lines.Any(line => line.TrimEnd() == row)).ToArray();
        Assert.IsEmpty(missing, $"docs/option-combinations.md lacks these rows of the tables:\n{string.Join("\n", missing)}");
        StringAssert.Contains(doc, VaeOptionApplicability.NoGaussianSlotReason, "the rule checked at Fit");
    }

    /// <summary>The rule's row in the documentation's table.</summary>
    private static string Row(string option, string[] conflicting, string reason) =>
        $"| `{option}` | {(conflicting.Length == 0 ? "—" : string.Join(", ", conflicting.Select(c => $"`{c}`")))} | {reason} |";

    private static void CheckTable<TOptions>((Action<TOptions> Ignored, Action<TOptions> Applies)[] examples, IReadOnlyList<OptionRule<TOptions>> rules, Action<TOptions> validate)
        where TOptions : new()
    {
        var hit = new HashSet<OptionRule<TOptions>>();
        foreach (var (ignored, applies) in examples)
        {
            var options = new TOptions();
            ignored(options);
            var e = Assert.ThrowsExactly<ArgumentException>(() => validate(options));
            var rule = rules.SingleOrDefault(r => r.Option == e.ParamName && e.Message.Contains(r.Reason, StringComparison.Ordinal));
            Assert.IsNotNull(rule, $"refused by no rule of the table: {e.Message}");
            StringAssert.StartsWith(e.Message, $"{rule.Option} = ");
            foreach (string conflicting in rule.Conflicting) StringAssert.Contains(e.Message, $"{conflicting} = ");
            hit.Add(rule);
            applies(options);
            validate(options);
        }
        var untested = rules.Where(r => !hit.Contains(r)).Select(r => $"{r.Option}: {r.Reason}").ToArray();
        Assert.IsEmpty(untested, "rules without an example");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Vae.MLNet.sln"))) return dir.FullName;
        throw new AssertFailedException($"No Vae.MLNet.sln above {AppContext.BaseDirectory}.");
    }
}
