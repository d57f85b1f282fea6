namespace Vae.MLNet;

/// <summary>The autoencoder's reconstruction loss, summed over the slots of each row.</summary>
/// <remarks>The values are those of the <see cref="VaeLikelihood"/> each loss is the negative log-likelihood of.</remarks>
public enum ReconstructionLoss
{
    /// <summary>Σᵢ (xᵢ − x̂ᵢ)², for real-valued (normalized) data.</summary>
    SquaredError = 1,
    /// <summary>Σᵢ BCE(logitᵢ, xᵢ), for values in [0, 1] (pixel intensities); the decoder outputs logits.</summary>
    BinaryCrossEntropy = 0,
}
