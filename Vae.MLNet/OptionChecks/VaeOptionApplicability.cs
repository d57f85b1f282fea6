namespace Vae.MLNet.OptionChecks;

/// <summary>
/// When each <see cref="VaeOptions"/> member has an effect: the one table behind "every option that is set changes
/// the model, or the options are refused" (docs/option-combinations.md lists the same rules). Cross-option checks that
/// refuse a combination which cannot work at all (a flow with free bits, a mask with convolutions …) stay with the
/// range checks in <see cref="VaeOptionsValidation"/>; this table holds the options that would be silently ignored.
/// </summary>
internal static class VaeOptionApplicability
{
    private static readonly VaeOptions Defaults = new();

    public static readonly IReadOnlyList<OptionRule<VaeOptions>> Rules =
    [
        new(nameof(VaeOptions.ObservationVariance), [nameof(VaeOptions.Likelihood)],
            o => o.ObservationVariance != Defaults.ObservationVariance, o => o.Likelihood == VaeLikelihood.Gaussian,
            "the observation variance belongs to Gaussian slots, and Likelihood = Bernoulli has none (its SlotLikelihoods may only be Bernoulli or Categorical); leave ObservationVariance at its default or use Likelihood = Gaussian."),
        new(nameof(VaeOptions.LearnObservationVariance), [nameof(VaeOptions.Likelihood)],
            o => o.LearnObservationVariance != Defaults.LearnObservationVariance, o => o.Likelihood == VaeLikelihood.Gaussian,
            "the observation variance belongs to Gaussian slots, and Likelihood = Bernoulli has none; leave LearnObservationVariance at its default or use Likelihood = Gaussian."),
        new(nameof(VaeOptions.CorruptionLevel), [nameof(VaeOptions.InputCorruption)],
            o => o.CorruptionLevel != Defaults.CorruptionLevel, o => o.InputCorruption != VaeInputCorruption.None,
            "the level is the strength of a corruption; set InputCorruption = Gaussian or Masking, or leave CorruptionLevel at its default."),
        new(nameof(VaeOptions.InputCorruption), [nameof(VaeOptions.CorruptionLevel)],
            o => o.InputCorruption != Defaults.InputCorruption, o => o.CorruptionLevel > 0,
            "a corruption of level 0 leaves every input unchanged; give CorruptionLevel > 0 or leave InputCorruption = None."),
        new(nameof(VaeOptions.KlWarmupEpochs), [nameof(VaeOptions.Beta)],
            o => o.KlWarmupEpochs != Defaults.KlWarmupEpochs, o => o.Beta > 0,
            "the warm-up scales the KL weight β, which is 0; leave KlWarmupEpochs = 0 with Beta = 0."),
        new(nameof(VaeOptions.KlWarmupEpochs), [],
            o => o.KlWarmupEpochs != Defaults.KlWarmupEpochs, o => o.KlWarmupEpochs != 1,
            "epoch e trains with the KL weight β·min(1, e / KlWarmupEpochs), which is β from the first epoch when KlWarmupEpochs = 1; use 2 or more, or 0 for no warm-up."),
        new(nameof(VaeOptions.FreeBits), [nameof(VaeOptions.Beta)],
            o => o.FreeBits != Defaults.FreeBits, o => o.Beta > 0,
            "free bits bound the KL term, which Beta = 0 leaves out of the objective; leave FreeBits = 0 with Beta = 0."),
        new(nameof(VaeOptions.ImportanceWeightedTraining), [nameof(VaeOptions.SamplesPerPoint)],
            o => o.ImportanceWeightedTraining != Defaults.ImportanceWeightedTraining, o => o.SamplesPerPoint >= 2,
            "the importance-weighted bound over one sample is the ELBO; set SamplesPerPoint to 2 or more (the k of the bound)."),
        new(nameof(VaeOptions.AnomalyScoreImportanceSamples), [nameof(VaeOptions.AnomalyScoreColumnName)],
            o => o.AnomalyScoreImportanceSamples != Defaults.AnomalyScoreImportanceSamples, o => o.AnomalyScoreColumnName is not null,
            "the samples are those of the anomaly score, and no score column is asked for; name one with AnomalyScoreColumnName."),
        new(nameof(VaeOptions.RefinementLearningRate), [nameof(VaeOptions.RefinementSteps)],
            o => o.RefinementLearningRate != Defaults.RefinementLearningRate, o => o.RefinementSteps > 0,
            "the rate is that of the refinement steps, and there are none; set RefinementSteps > 0 or leave RefinementLearningRate at its default."),
        new(nameof(VaeOptions.ImageShape), [nameof(VaeOptions.Architecture)],
            o => o.ImageShape is not null, o => o.Architecture == VaeArchitecture.Convolutional,
            "the MLP reads the input as a flat vector; use Architecture = Convolutional or leave ImageShape null."),
        // EarlyStoppingPatience and CheckpointFrequency: the rules of the settings both models share.
        .. TrainingOptionsValidation.Rules<VaeOptions>(),
    ];

    /// <exception cref="ArgumentException">A set option has no effect in this combination (ParamName is the option).</exception>
    public static void Check(VaeOptions options) => OptionApplicability.Check(options, Rules);

    /// <summary>The reason of the one rule that needs the input's size (checked at Fit, before training).</summary>
    internal const string NoGaussianSlotReason =
        "no slot is left to the Gaussian likelihood, whose variance this is; leave the option at its default, or leave some slots out of SlotLikelihoods.";

    /// <summary>
    /// The rule that needs the input's size: the observation variance belongs to the Gaussian slots, and
    /// <see cref="VaeOptions.SlotLikelihoods"/> may leave none (Bernoulli and Categorical ranges over every slot).
    /// Call after the ranges are validated against the input (they do not overlap).
    /// </summary>
    /// <exception cref="ArgumentException">ObservationVariance or LearnObservationVariance is set and no slot is Gaussian.</exception>
    public static void CheckForInput(VaeOptions options, int inputDimension)
    {
        if (options.Likelihood != VaeLikelihood.Gaussian || options.SlotLikelihoods is not { } slots) return;
        int gaussian = inputDimension - slots.Where(r => r.Kind != VaeSlotKind.Gaussian).Sum(r => r.Length);
        if (gaussian > 0) return;
        foreach (var rule in Rules.Where(r => r.Option is nameof(VaeOptions.ObservationVariance) or nameof(VaeOptions.LearnObservationVariance)))
            if (rule.IsSet(options))
                throw new ArgumentException(
                    $"{OptionApplicability.Describe(options, rule.Option)} has no effect with SlotLikelihoods covering all {inputDimension} slots of the input: {NoGaussianSlotReason}", rule.Option);
    }
}
