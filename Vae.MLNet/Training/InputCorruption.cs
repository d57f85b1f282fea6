using Vae.MLNet.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace Vae.MLNet.Training;

/// <summary>The corruption of denoising training (the VAE's and the autoencoder's): the encoder sees it, the target stays clean.</summary>
internal static class InputCorruption
{
    /// <summary>A corrupted copy of <paramref name="x"/> (an alias when <paramref name="kind"/> is None), with noise from the current <see cref="Noise"/> generator.</summary>
    public static Tensor Apply(Tensor x, VaeInputCorruption kind, double level)
    {
        switch (kind)
        {
            case VaeInputCorruption.Gaussian:
                using (var noise = Noise.RandnLike(x))
                using (var scale = level.ToScalar())
                    return x.Plus(noise * scale);
            case VaeInputCorruption.Masking:
                using (var uniform = Noise.RandLike(x))
                using (var threshold = level.ToScalar())
                using (var keep = uniform.ge(threshold).to(x.dtype))
                    return x * keep;
            default:
                return x.alias();
        }
    }
}
