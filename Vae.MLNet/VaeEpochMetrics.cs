namespace Vae.MLNet;

/// <summary>What one training epoch achieved; every loss is an average per row, in nats.</summary>
/// <param name="Epoch">The epoch number, from 1.</param>
/// <param name="Loss">Reconstruction loss + (warmed-up) β · KL, the minimized objective.</param>
/// <param name="ReconstructionLoss">−log p(x|z): binary cross-entropy (Bernoulli) or Gaussian negative log-likelihood.</param>
/// <param name="KlDivergence">KL(q(z|x) ‖ N(0, I)).</param>
/// <param name="ValidationLoss">The negative ELBO on the validation rows, when there is a validation split.</param>
/// <param name="Seconds">Wall-clock time of the epoch.</param>
public sealed record VaeEpochMetrics(int Epoch, double Loss, double ReconstructionLoss, double KlDivergence, double? ValidationLoss, double Seconds)
{
    /// <summary>A one-line summary for logs.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"epoch {Epoch}: loss {Loss:F4}, reconstruction {ReconstructionLoss:F4}, KL {KlDivergence:F4}") +
        (ValidationLoss is double v ? FormattableString.Invariant($", validation {v:F4}") : "") +
        FormattableString.Invariant($", {Seconds:F2} s");
}
