using Vae.MLNet.OptionChecks;

namespace Vae.MLNet.Autoencoder;

/// <summary>
/// When each <see cref="AutoencoderOptions"/> member has an effect (see <see cref="OptionApplicability"/>;
/// docs/option-combinations.md lists the same rules).
/// </summary>
internal static class AutoencoderOptionApplicability
{
    private static readonly AutoencoderOptions Defaults = new();

    public static readonly IReadOnlyList<OptionRule<AutoencoderOptions>> Rules =
    [
        new(nameof(AutoencoderOptions.SparsityWeight), [nameof(AutoencoderOptions.Sparsity)],
            o => o.SparsityWeight != Defaults.SparsityWeight, o => o.Sparsity != AutoencoderSparsity.None,
            "the weight is that of the sparsity penalty, and there is none; set Sparsity = L1 or KlToTarget, or leave SparsityWeight at its default."),
        new(nameof(AutoencoderOptions.SparsityTarget), [nameof(AutoencoderOptions.Sparsity)],
            o => o.SparsityTarget != Defaults.SparsityTarget, o => o.Sparsity == AutoencoderSparsity.KlToTarget,
            "ρ is the target mean activation of Sparsity = KlToTarget only; set it, or leave SparsityTarget at its default."),
        new(nameof(AutoencoderOptions.Sparsity), [nameof(AutoencoderOptions.SparsityWeight)],
            o => o.Sparsity != Defaults.Sparsity, o => o.SparsityWeight > 0,
            "a penalty of weight 0 leaves the loss unchanged; give SparsityWeight > 0 or leave Sparsity = None."),
        new(nameof(AutoencoderOptions.CorruptionLevel), [nameof(AutoencoderOptions.Corruption)],
            o => o.CorruptionLevel != Defaults.CorruptionLevel, o => o.Corruption != CorruptionKind.None,
            "the level is the strength of a corruption; set Corruption = Gaussian or Masking, or leave CorruptionLevel at its default."),
        new(nameof(AutoencoderOptions.Corruption), [nameof(AutoencoderOptions.CorruptionLevel)],
            o => o.Corruption != Defaults.Corruption, o => o.CorruptionLevel > 0,
            "a corruption of level 0 leaves every input unchanged; give CorruptionLevel > 0 or leave Corruption = None."),
        // EarlyStoppingPatience and CheckpointFrequency: the rules of the settings both models share.
        .. TrainingOptionsValidation.Rules<AutoencoderOptions>(),
    ];

    /// <exception cref="ArgumentException">A set option has no effect in this combination (ParamName is the option).</exception>
    public static void Check(AutoencoderOptions options) => OptionApplicability.Check(options, Rules);
}
