using Vae.MLNet.Torch.Native;

namespace Vae.MLNet.Torch;

public static partial class torch
{
    /// <summary>Opens a dispose scope on this thread: tensors created until it is disposed are disposed with it.</summary>
    public static DisposeScope NewDisposeScope() => new();

    /// <summary>Turns gradient recording off on this thread until the returned object is disposed.</summary>
    public static IDisposable no_grad() => new GradModeScope(false);

    /// <summary>Turns gradient recording on on this thread until the returned object is disposed.</summary>
    public static IDisposable enable_grad() => new GradModeScope(true);

    /// <summary>Whether gradient recording is on for this thread.</summary>
    public static bool is_grad_enabled() => NativeMethods.vae_is_grad_enabled();

    /// <summary>Sets the number of threads libtorch uses for intra-op parallelism (process-wide).</summary>
    public static void set_num_threads(int threads) => NativeMethods.Check(NativeMethods.vae_set_num_threads(threads), "set_num_threads");

    /// <summary>The number of threads libtorch uses for intra-op parallelism.</summary>
    public static int get_num_threads() => NativeMethods.vae_get_num_threads();

    /// <summary>
    /// Sets the thread count of the BLAS library behind libtorch's matrix products (OpenBLAS); returns the previous
    /// count, or -1 when the BLAS in use cannot be told. OpenBLAS's own threads spin while waiting, so running
    /// several single-threaded workers beats one multi-threaded BLAS on small matrices.
    /// </summary>
    public static int set_blas_num_threads(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "The BLAS needs at least one thread.");
        return NativeMethods.vae_set_blas_threads(threads);
    }

    /// <summary>
    /// The CPU memory cache (as torch.cuda's, for host memory): freed tensor blocks of 64 KB and more are kept, up to
    /// 512 MB, for the next tensor of the same size, which saves a training step the cost of mapping fresh pages.
    /// </summary>
    public static class cpu
    {
        /// <summary>Returns the cached blocks to the system; reports the bytes released.</summary>
        public static long empty_cache() => NativeMethods.vae_cpu_empty_cache();

        /// <summary>The bytes held in the cache.</summary>
        public static long cached_bytes() => NativeMethods.vae_cpu_cached_bytes();
    }

    /// <summary>Restores the previous grad mode of its thread when disposed.</summary>
    private sealed class GradModeScope : IDisposable
    {
        private readonly bool _previous;
        private bool _disposed;

        internal GradModeScope(bool enabled)
        {
            _previous = NativeMethods.vae_is_grad_enabled();
            NativeMethods.vae_set_grad_enabled(enabled);
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            NativeMethods.vae_set_grad_enabled(_previous);
        }
    }
}
