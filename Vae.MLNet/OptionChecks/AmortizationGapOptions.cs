using Vae.MLNet.Networks;

namespace Vae.MLNet.OptionChecks;

/// <summary>
/// The options that narrow the amortization gap (flows on q(z|x), iterative inference): their checks, and their
/// part of the network description.
/// </summary>
internal static class AmortizationGapOptions
{
    public static void Validate(VaeOptions o)
    {
        if (o.FlowSteps is < 0 or > VaeNetworkSpecValidation.MaxFlowSteps)
            throw new ArgumentOutOfRangeException(nameof(o.FlowSteps), o.FlowSteps, $"FlowSteps must be between 0 and {VaeNetworkSpecValidation.MaxFlowSteps}.");
        if (o.InferenceIterations is < 0 or > VaeNetworkSpecValidation.MaxInferenceIterations)
            throw new ArgumentOutOfRangeException(nameof(o.InferenceIterations), o.InferenceIterations,
                $"InferenceIterations must be between 0 and {VaeNetworkSpecValidation.MaxInferenceIterations}.");
        if (o.FlowSteps > 0 && o.FreeBits > 0)
            throw new ArgumentException("FreeBits needs the KL of each latent dimension, which a flow (FlowSteps > 0) does not have: leave FreeBits = 0 with FlowSteps.", nameof(o.FlowSteps));
        if (o.InferenceIterations > 0 && o.ImportanceWeightedTraining)
            throw new ArgumentException("InferenceIterations trains on the ELBO after each iteration, not on the importance-weighted bound: leave ImportanceWeightedTraining = false with InferenceIterations.",
                nameof(o.InferenceIterations));
        if (o.InferenceIterations > 0 && o.InputCorruption != VaeInputCorruption.None)
            throw new ArgumentException("InferenceIterations refines the posterior from the ELBO's gradient on the input it is given, which denoising training (InputCorruption) " +
                "would have to compute on the clean target: leave InputCorruption = None with InferenceIterations.", nameof(o.InferenceIterations));
    }

    /// <summary>The MADE width of each flow step: 4 per latent dimension, at least 16.</summary>
    public static int FlowHiddenDimension(VaeOptions o) => o.FlowSteps > 0 ? Math.Max(16, 4 * o.LatentDimension) : 0;

    /// <summary>The iterative inference model's width: 8 per latent dimension, at least 64.</summary>
    public static int InferenceHiddenDimension(VaeOptions o) => o.InferenceIterations > 0 ? Math.Max(64, 8 * o.LatentDimension) : 0;
}
