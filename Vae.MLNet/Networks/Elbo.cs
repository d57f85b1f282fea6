using Vae.MLNet.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace Vae.MLNet.Networks;

/// <summary>The per-batch terms of the evidence lower bound.</summary>
/// <param name="Loss">mean over rows of reconstruction NLL + β·KL: what training minimizes (differentiable).</param>
/// <param name="ReconstructionPerRow">−log p(x|z) per row, in nats (detached).</param>
/// <param name="KlPerRow">KL(q(z|x) ‖ N(0, I)) per row, in nats (detached).</param>
/// <param name="KlPerDimension">The KL split by latent dimension, (rows, latent) (detached).</param>
internal readonly record struct ElboTerms(Tensor Loss, Tensor ReconstructionPerRow, Tensor KlPerRow, Tensor KlPerDimension);

internal static class Elbo
{
    /// <summary>−log p(x|z) of a Bernoulli decoder, per row: the binary cross-entropy of the logits summed over features.</summary>
    public static Tensor BernoulliNegativeLogLikelihood(Tensor logits, Tensor target)
    {
        long rows = logits.size(0);
        using var perElement = nn.functional.binary_cross_entropy_with_logits(logits.reshape(rows, -1), target.reshape(rows, -1), reduction: nn.Reduction.None);
        return perElement.sum(1);
    }

    /// <summary>−log N(x; output, diag exp(logVariance)) per row; the log-variance broadcasts against the output.</summary>
    public static Tensor GaussianNegativeLogLikelihood(Tensor output, Tensor target, Tensor logVariance)
    {
        using var scope = NewDisposeScope();
        long rows = output.size(0);
        return GaussianNegativeLogDensity(output, target, logVariance).reshape(rows, -1).sum(1).MoveToOuterDisposeScope();
    }

    /// <summary>−log N(x; output, exp(logVariance)) per element: ½ ((x − output)² e^(−log σ²) + log σ² + log 2π).</summary>
    public static Tensor GaussianNegativeLogDensity(Tensor output, Tensor target, Tensor logVariance) =>
        (target.Minus(output).Squared() * (-logVariance).exp()).Plus(logVariance).Plus(Scalars.Log2Pi) * Scalars.Half;

    /// <summary>KL(N(μ, σ²) ‖ N(0, 1)) per row and latent dimension: −½ (1 + log σ² − μ² − σ²).</summary>
    public static Tensor KlPerDimension(Tensor mean, Tensor logVariance) =>
        logVariance.Plus(Scalars.One).Minus(mean.Squared()).Minus(logVariance.exp()) * Scalars.MinusHalf;

    /// <summary>
    /// The ELBO's terms for decoder output (logits or means) against target x. The KL is closed-form for a diagonal
    /// Gaussian against N(0, I): −½ Σ (1 + log σ² − μ² − σ²). With freeBits λ &gt; 0 the trained KL term is
    /// Σ_d max(λ, mean over rows of KL_d) (Kingma et al. 2016). With an <paramref name="observation"/> model, the
    /// reconstruction term is its (per-slot, masked) likelihood instead of <paramref name="likelihood"/>'s.
    /// </summary>
    public static ElboTerms Compute(Tensor output, Tensor target, Tensor mean, Tensor logVariance,
        Tensor? observationLogVariance, VaeLikelihood likelihood, double beta, double freeBits = 0, Likelihoods.ObservationModel? observation = null)
    {
        if (output.dim() < 2 || !output.shape.SequenceEqual(target.shape))
            throw new ArgumentException($"The decoder output [{string.Join(", ", output.shape)}] and the target [{string.Join(", ", target.shape)}] must have the same shape, rows first.");
        if (mean.dim() != 2 || !mean.shape.SequenceEqual(logVariance.shape) || mean.size(0) != output.size(0))
            throw new ArgumentException($"μ [{string.Join(", ", mean.shape)}] and log σ² [{string.Join(", ", logVariance.shape)}] must both be (rows, latent) with {output.size(0)} rows.");
        using var scope = NewDisposeScope();
        var reconstruction = observation is not null ? observation.NegativeLogLikelihood(output, target, observationLogVariance)
            : likelihood == VaeLikelihood.Bernoulli
            ? BernoulliNegativeLogLikelihood(output, target)
            : GaussianNegativeLogLikelihood(output, target, observationLogVariance ?? zeros(1));
        var klPerDimension = KlPerDimension(mean, logVariance);
        var kl = klPerDimension.sum(1);
        using var freeBitsScalar = freeBits.ToScalar();
        using var betaScalar = beta.ToScalar();
        var klTerm = freeBits > 0 ? klPerDimension.mean([0]).clamp_min(freeBitsScalar).sum() : kl.mean();
        var loss = reconstruction.mean().Plus(klTerm * betaScalar);
        return new ElboTerms(loss.MoveToOuterDisposeScope(), reconstruction.detach().MoveToOuterDisposeScope(),
            kl.detach().MoveToOuterDisposeScope(), klPerDimension.detach().MoveToOuterDisposeScope());
    }
}
