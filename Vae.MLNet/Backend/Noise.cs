using TorchSharp;
using static TorchSharp.torch;

namespace Vae.MLNet.Backend;

/// <summary>
/// The random draws of the VAE (reparameterization, corruption, prior samples) come from the generator made current
/// on this thread with <see cref="Use"/>, or from libtorch's default generator. TorchSharp's <c>randn_like</c> takes
/// no generator, and a fit or an evaluation must repeat exactly while other threads draw numbers of their own.
/// </summary>
internal static class Noise
{
    [ThreadStatic] private static Generator? _current;

    /// <summary>Makes <paramref name="generator"/> this thread's source of draws until the returned scope is disposed.</summary>
    public static IDisposable Use(Generator generator)
    {
        var previous = _current;
        _current = generator;
        return new Restore(previous);
    }

    /// <summary>Standard normals of the given shape.</summary>
    public static Tensor Randn(params long[] shape) => randn(shape, generator: _current);

    /// <summary>Standard normals shaped, typed and placed like <paramref name="like"/>.</summary>
    public static Tensor RandnLike(Tensor like) => randn(like.shape, like.dtype, like.device, generator: _current);

    /// <summary>Uniforms on [0, 1) shaped, typed and placed like <paramref name="like"/>.</summary>
    public static Tensor RandLike(Tensor like) => rand(like.shape, like.dtype, like.device, generator: _current);

    private sealed class Restore(Generator? previous) : IDisposable
    {
        public void Dispose() => _current = previous;
    }
}
