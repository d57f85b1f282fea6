using static TorchSharp.torch;

namespace Vae.MLNet.Networks;

/// <summary>A batch of rows as the network sees them: inputs x (rows, D) and, for a conditional VAE, conditions (rows, C).</summary>
internal readonly record struct Observation(Tensor X, Tensor? Condition)
{
    /// <summary>The rows tiled k times, sample-major: (k·rows, ·), matching z reshaped from (k, rows, latent).</summary>
    public Observation Tile(long k) => k == 1 ? this : new(X.repeat(k, 1), Condition?.repeat(k, 1));
}
