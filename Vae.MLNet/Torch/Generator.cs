using Vae.MLNet.Torch.Native;

namespace Vae.MLNet.Torch;

public static partial class torch
{
    /// <summary>
    /// A seeded CPU random number generator. Random operations draw from it on a thread where it is current
    /// (<see cref="random.use"/>), so trainings on different threads are each reproducible.
    /// </summary>
    public sealed class Generator : IDisposable
    {
        private IntPtr _handle;

        /// <summary>Creates a generator seeded with <paramref name="seed"/>.</summary>
        public Generator(long seed) =>
            _handle = NativeMethods.CheckHandle(NativeMethods.vae_generator_new(seed), "creating a generator");

        /// <summary>Frees the generator if nobody disposed it.</summary>
        ~Generator() => Free();

        internal IntPtr Handle => _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(Generator));

        /// <summary>Reseeds the generator.</summary>
        public Generator manual_seed(long seed)
        {
            NativeMethods.Check(NativeMethods.vae_generator_seed(Handle, seed), "seeding a generator");
            return this;
        }

        /// <summary>The generator's full state, to resume the same stream of numbers later.</summary>
        public unsafe byte[] get_state()
        {
            NativeMethods.Check(NativeMethods.vae_generator_get_state(Handle, null, 0, out long size), "reading a generator's state");
            var state = new byte[size];
            fixed (byte* p = state) NativeMethods.Check(NativeMethods.vae_generator_get_state(Handle, p, size, out _), "reading a generator's state");
            return state;
        }

        /// <summary>Restores a state from <see cref="get_state"/>.</summary>
        public unsafe void set_state(byte[] state)
        {
            ArgumentNullException.ThrowIfNull(state);
            fixed (byte* p = state) NativeMethods.Check(NativeMethods.vae_generator_set_state(Handle, p, state.Length), "restoring a generator's state");
        }

        /// <summary>Frees the native generator.</summary>
        public void Dispose()
        {
            Free();
            GC.SuppressFinalize(this);
        }

        private void Free()
        {
            IntPtr handle = Interlocked.Exchange(ref _handle, IntPtr.Zero);
            if (handle != IntPtr.Zero) NativeMethods.vae_generator_free(handle);
        }
    }

    /// <summary>Random-state helpers (PyTorch's torch.random).</summary>
    public static class random
    {
        /// <summary>Seeds the global generators (as torch.manual_seed).</summary>
        public static void manual_seed(long seed) => torch.manual_seed(seed);

        /// <summary>
        /// Makes <paramref name="generator"/> the source of every random operation on CPU tensors on this thread
        /// (randn, rand, their _like forms, uniform_, normal_, dropout) until the returned scope is disposed.
        /// </summary>
        public static IDisposable use(Generator generator)
        {
            ArgumentNullException.ThrowIfNull(generator);
            return new GeneratorScope(generator);
        }

        private sealed class GeneratorScope : IDisposable
        {
            private readonly IntPtr _previous;
            private readonly Generator _generator;
            private bool _disposed;

            internal GeneratorScope(Generator generator)
            {
                _generator = generator;
                _previous = NativeMethods.vae_set_thread_generator(generator.Handle);
            }

            public void Dispose()
            {
                if (_disposed) return;
                _disposed = true;
                NativeMethods.vae_set_thread_generator(_previous);
                GC.KeepAlive(_generator);
            }
        }
    }
}
