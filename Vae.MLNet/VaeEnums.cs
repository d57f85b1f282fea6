namespace Vae.MLNet;

/// <summary>The shape of the encoder and decoder networks.</summary>
public enum VaeArchitecture
{
    /// <summary>Fully connected layers, for vectors (tabular data, flattened images).</summary>
    Mlp,
    /// <summary>Strided convolutions and transposed convolutions, for images given with <see cref="VaeOptions.ImageShape"/>.</summary>
    Convolutional,
}

/// <summary>The decoder's distribution p(x | z).</summary>
public enum VaeLikelihood
{
    /// <summary>Independent Bernoulli per feature, for values in [0, 1] (pixel intensities); the decoder outputs logits.</summary>
    Bernoulli,
    /// <summary>Independent Gaussian per feature with a fixed or learned variance, for real-valued (normalized) data.</summary>
    Gaussian,
}

/// <summary>How inputs are corrupted for denoising training.</summary>
public enum VaeInputCorruption
{
    /// <summary>No corruption.</summary>
    None,
    /// <summary>Add N(0, level²) noise to every value.</summary>
    Gaussian,
    /// <summary>Set each value to 0 with probability level.</summary>
    Masking,
}
