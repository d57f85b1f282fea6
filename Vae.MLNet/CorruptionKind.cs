namespace Vae.MLNet;

/// <summary>How the autoencoder's inputs are corrupted for denoising training (the values of <see cref="VaeInputCorruption"/>).</summary>
public enum CorruptionKind
{
    /// <summary>No corruption.</summary>
    None = 0,
    /// <summary>Add N(0, level²) noise to every value.</summary>
    Gaussian = 1,
    /// <summary>Set each value to 0 with probability level.</summary>
    Masking = 2,
}
