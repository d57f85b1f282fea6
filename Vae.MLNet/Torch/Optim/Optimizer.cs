using Vae.MLNet.Torch.Modules;
using Vae.MLNet.Torch.Native;

namespace Vae.MLNet.Torch;

public static partial class torch
{
    /// <summary>Optimizers, as in TorchSharp's torch.optim.</summary>
    public static partial class optim
    {
        /// <summary>
        /// A libtorch optimizer over a fixed list of parameters. One native call per step updates every parameter.
        /// </summary>
        public abstract class Optimizer : IDisposable
        {
            private IntPtr _handle;
            private readonly Parameter[] _parameters;

            private protected unsafe Optimizer(IEnumerable<Parameter> parameters, Func<IntPtr[], IntPtr> create, string name)
            {
                ArgumentNullException.ThrowIfNull(parameters);
                _parameters = parameters.ToArray();
                if (_parameters.Length == 0) throw new ArgumentException($"{name} needs at least one parameter.", nameof(parameters));
                var handles = _parameters.Select(p => p.Handle).ToArray();
                _handle = NativeMethods.CheckHandle(create(handles), $"creating {name}");
            }

            /// <summary>Frees the native optimizer if nobody disposed it.</summary>
            ~Optimizer() => Free();

            private IntPtr Handle => _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(GetType().Name);

            /// <summary>The parameters this optimizer updates.</summary>
            public IReadOnlyList<Parameter> parameters() => _parameters;

            /// <summary>Updates every parameter from its gradient.</summary>
            public void step() => NativeMethods.Check(NativeMethods.vae_optim_step(Handle), $"{GetType().Name}.step");

            /// <summary>Drops (by default) or zeroes every parameter's gradient.</summary>
            public void zero_grad(bool set_to_none = true) =>
                NativeMethods.Check(NativeMethods.vae_optim_zero_grad(Handle, set_to_none), $"{GetType().Name}.zero_grad");

            /// <summary>The learning rate (of every parameter group).</summary>
            public double LearningRate
            {
                get
                {
                    NativeMethods.Check(NativeMethods.vae_optim_get_lr(Handle, out double lr), "reading the learning rate");
                    return lr;
                }
                set
                {
                    if (!(value >= 0) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(nameof(value), $"Learning rate must be a finite non-negative number, got {value}.");
                    NativeMethods.Check(NativeMethods.vae_optim_set_lr(Handle, value), "setting the learning rate");
                }
            }

            /// <summary>The optimizer's state (moments, step counts, options) as bytes.</summary>
            public unsafe byte[] state_dict()
            {
                NativeMethods.Check(NativeMethods.vae_optim_save(Handle, null, 0, out long size), "saving optimizer state");
                var buffer = new byte[size];
                fixed (byte* p = buffer)
                    NativeMethods.Check(NativeMethods.vae_optim_save(Handle, p, size, out _), "saving optimizer state");
                return buffer;
            }

            /// <summary>Restores state saved by <see cref="state_dict"/> from an optimizer over parameters of the same shapes.</summary>
            public unsafe void load_state_dict(byte[] state)
            {
                ArgumentNullException.ThrowIfNull(state);
                fixed (byte* p = state)
                    NativeMethods.Check(NativeMethods.vae_optim_load(Handle, p, state.Length), "loading optimizer state");
            }

            /// <summary>Writes the state to a file.</summary>
            public void save_state_dict(string path) => File.WriteAllBytes(path, state_dict());

            /// <summary>Reads the state from a file written by <see cref="save_state_dict"/>.</summary>
            public void load_state_dict(string path) => load_state_dict(File.ReadAllBytes(path));

            /// <summary>Frees the native optimizer (the parameters stay).</summary>
            public void Dispose()
            {
                Free();
                GC.SuppressFinalize(this);
            }

            private void Free()
            {
                IntPtr handle = Interlocked.Exchange(ref _handle, IntPtr.Zero);
                if (handle != IntPtr.Zero) NativeMethods.vae_optim_free(handle);
            }
        }

        /// <summary>Adam (Kingma &amp; Ba 2015); weight_decay adds an L2 term to the gradient.</summary>
        public static Modules.Adam Adam(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
            double eps = 1e-8, double weight_decay = 0, bool amsgrad = false) =>
            new(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad);

        /// <summary>AdamW (Loshchilov &amp; Hutter 2019): Adam with decoupled weight decay.</summary>
        public static Modules.AdamW AdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
            double eps = 1e-8, double weight_decay = 0.01, bool amsgrad = false) =>
            new(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad);

        /// <summary>Stochastic gradient descent with optional (Nesterov) momentum.</summary>
        public static Modules.SGD SGD(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double dampening = 0,
            double weight_decay = 0, bool nesterov = false) =>
            new(parameters, lr, momentum, dampening, weight_decay, nesterov);
    }
}
