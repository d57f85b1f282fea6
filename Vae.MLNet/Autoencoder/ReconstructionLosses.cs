namespace Vae.MLNet.Autoencoder;

/// <summary>
/// <see cref="ReconstructionLoss"/> and the <see cref="VaeLikelihood"/> it is the negative log-likelihood of: the
/// network spec and the model file keep the likelihood (the file format of 0.2.0), the public options the loss.
/// </summary>
internal static class ReconstructionLosses
{
    // The enums share their values, so an undefined value stays undefined either way and is refused by the checks.
    public static VaeLikelihood ToLikelihood(ReconstructionLoss loss) => (VaeLikelihood)(int)loss;

    public static ReconstructionLoss FromLikelihood(VaeLikelihood likelihood) => (ReconstructionLoss)(int)likelihood;
}
