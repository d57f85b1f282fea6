using System.Text.Json.Serialization;

namespace Vae.MLNet.Networks;

/// <summary>
/// Everything needed to rebuild a VAE's networks (without weights): saved in the model file and used to build the
/// network again on load.
/// </summary>
internal sealed record VaeNetworkSpec
{
    public required VaeArchitecture Architecture { get; init; }
    public required VaeLikelihood Likelihood { get; init; }
    public required int InputDimension { get; init; }
    public required int LatentDimension { get; init; }
    public required int[] HiddenDimensions { get; init; }
    /// <summary>(C, H, W) for the convolutional architecture; null for MLP.</summary>
    public int[]? ImageShape { get; init; }
    public bool UseBatchNorm { get; init; }
    /// <summary>Size of the condition vector fed to encoder and decoder (conditional VAE); 0 for none.</summary>
    public int ConditionDimension { get; init; }
    public bool LearnObservationVariance { get; init; }
    public double ObservationVariance { get; init; } = 1;
    public double LogVarianceMin { get; init; } = -10;
    public double LogVarianceMax { get; init; } = 10;
    public double? LogVarianceInitialBias { get; init; }
    /// <summary>Inverse-autoregressive flow steps after the Gaussian q0(z|x); 0 for none.</summary>
    public int FlowSteps { get; init; }
    /// <summary>The hidden width of each flow step's MADE (0 without a flow).</summary>
    public int FlowHiddenDimension { get; init; }
    /// <summary>Iterations of the iterative inference model (Marino et al. 2018) after the encoder; 0 for none.</summary>
    public int InferenceIterations { get; init; }
    /// <summary>The hidden width of the iterative inference model (0 without one).</summary>
    public int InferenceHiddenDimension { get; init; }
    /// <summary>NaN entries are missing values (Mask) or errors (Refuse); left out of Vae.json when Refuse, as before the option.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public VaeMissingValues MissingValues { get; init; }
    /// <summary>Per-slot distributions of tabular data (null: every slot follows <see cref="Likelihood"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public VaeSlotLikelihood[]? SlotLikelihoods { get; init; }
    /// <summary>
    /// True when the Fit set UseOwnKernels = false: the network computes with libtorch alone, after a reload too, so a
    /// saved model gives the same bits as the transformer its Fit returned. Left out of the file when false (the default).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool LibtorchOnly { get; init; }
}
