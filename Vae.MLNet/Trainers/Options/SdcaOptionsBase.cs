namespace Vae.MLNet.Trainers;

/// <summary>
/// Options shared by the SDCA trainers (ML.NET nests this as <c>SdcaTrainerBase.OptionsBase</c>).
/// </summary>
/// <remarks>
/// The primal objective, as ML.NET defines it, over <c>n</c> rows with example weights <c>s_i</c>:
/// <c>P(w) = (1/n) sum_i s_i l(w.x_i + b_i) + L2 * (|w~|^2 / 2 + L1 * |w~|_1)</c>, where <c>w~</c> is the weights
/// plus the regularized part of the bias. <see cref="L1Regularization"/> is thus a soft threshold (the ratio L1/L2):
/// the effective L1 coefficient is <c>L1Regularization * L2Regularization</c>. With <see cref="BiasLearningRate"/>
/// positive, the bias is moved into an unregularized part during training.
/// Training stops when the duality gap divided by the primal objective falls below <see cref="ConvergenceTolerance"/>.
/// </remarks>
public abstract class SdcaOptionsBase : TrainerInputBaseWithWeight
{
    /// <summary>
    /// L2 regularization constant; <see langword="null"/> (the default) picks one from the data size as ML.NET does.
    /// Values below 1e-9 are raised to 1e-9 (the dual needs a positive constant).
    /// </summary>
    public float? L2Regularization;

    /// <summary>
    /// L1 soft threshold (L1/L2); <see langword="null"/> (the default) picks one from the feature count as ML.NET does:
    /// 0 below 100 features, 0.25 below 1,000, 0.5 below 10,000, else 1.
    /// </summary>
    public float? L1Regularization;

    /// <summary>
    /// Accepted for compatibility with ML.NET code; training here is single-threaded so results are deterministic.
    /// </summary>
    public int? NumberOfThreads;

    /// <summary>Stop when duality gap / primal objective is below this. Must be in (0, 1].</summary>
    public float ConvergenceTolerance = 0.1f;

    /// <summary>
    /// Maximum passes over the data; <see langword="null"/> (the default) picks one from the data size as ML.NET does.
    /// </summary>
    public int? MaximumNumberOfIterations;

    /// <summary>Shuffle the rows before each pass. Default true.</summary>
    public bool Shuffle = true;

    /// <summary>
    /// Check convergence every this many passes; zero or negative never checks. <see langword="null"/> (the default)
    /// checks after every pass.
    /// </summary>
    public int? ConvergenceCheckFrequency;

    /// <summary>
    /// Rate at which the bias is moved out of the regularized part; 0 (the default for classification) keeps the bias
    /// regularized like a weight.
    /// </summary>
    public float BiasLearningRate;

    private protected SdcaOptionsBase()
    {
    }

    internal void Validate()
    {
        OptionChecks.Require(L2Regularization is null or >= 0, nameof(L2Regularization), L2Regularization, "non-negative or null");
        OptionChecks.Require(L1Regularization is null or >= 0, nameof(L1Regularization), L1Regularization, "non-negative or null");
        OptionChecks.Require(MaximumNumberOfIterations is null or > 0, nameof(MaximumNumberOfIterations), MaximumNumberOfIterations, "positive or null");
        OptionChecks.Require(ConvergenceTolerance is > 0 and <= 1, nameof(ConvergenceTolerance), ConvergenceTolerance, "in (0, 1]");
        OptionChecks.Require(BiasLearningRate >= 0, nameof(BiasLearningRate), BiasLearningRate, "non-negative");
    }
}
