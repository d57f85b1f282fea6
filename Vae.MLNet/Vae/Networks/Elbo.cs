using Vae.MLNet.Torch;
using Vae.MLNet.Torch.Native;

namespace Vae.MLNet.Networks;

/// <summary>The per-batch terms of the evidence lower bound, as computed by one fused native call.</summary>
/// <param name="Loss">mean over rows of reconstruction NLL + β·KL: what training minimizes (differentiable).</param>
/// <param name="ReconstructionPerRow">−log p(x|z) per row, in nats (detached).</param>
/// <param name="KlPerRow">KL(q(z|x) ‖ N(0, I)) per row, in nats (detached).</param>
/// <param name="KlPerDimension">The KL split by latent dimension, (rows, latent) (detached).</param>
internal readonly record struct ElboTerms(torch.Tensor Loss, torch.Tensor ReconstructionPerRow, torch.Tensor KlPerRow, torch.Tensor KlPerDimension);

internal static class Elbo
{
    /// <summary>−log p(x|z) of a Bernoulli decoder, per row: the binary cross-entropy of the logits summed over features (fused, vectorized kernel).</summary>
    public static torch.Tensor BernoulliNegativeLogLikelihood(torch.Tensor logits, torch.Tensor target) =>
        torch.Tensor.Wrap(NativeMethods.vae_bce_with_logits_row_sum(logits.Handle, target.Handle),
            () => $"binary cross-entropy of logits {logits.ShapeString()} against targets {target.ShapeString()}");

    /// <summary>
    /// The ELBO's terms for decoder output (logits or means) against target x. The KL is closed-form for a diagonal
    /// Gaussian against N(0, I): −½ Σ (1 + log σ² − μ² − σ²). With freeBits λ &gt; 0 the trained KL term is
    /// Σ_d max(λ, mean over rows of KL_d) (Kingma et al. 2016).
    /// </summary>
    public static ElboTerms Compute(torch.Tensor output, torch.Tensor target, torch.Tensor mean, torch.Tensor logVariance,
        torch.Tensor? observationLogVariance, VaeLikelihood likelihood, double beta, double freeBits = 0)
    {
        int status = NativeMethods.vae_elbo(output.Handle, target.Handle, mean.Handle, logVariance.Handle,
            observationLogVariance?.Handle ?? IntPtr.Zero, likelihood == VaeLikelihood.Bernoulli ? 0 : 1, beta, freeBits,
            out IntPtr loss, out IntPtr reconstruction, out IntPtr kl, out IntPtr klPerDimension);
        if (status != 0) throw NativeMethods.Failure("computing the ELBO");
        return new ElboTerms(new torch.Tensor(loss), new torch.Tensor(reconstruction), new torch.Tensor(kl), new torch.Tensor(klPerDimension));
    }
}
