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
            private readonly OptimizerBackend _backend;

            private protected unsafe Optimizer(IEnumerable<Parameter> parameters, Func<IntPtr[], IntPtr> create, string name,
                OptimizerBackend? backend = null)
            {
                _backend = backend ?? OptimizerBackend.Libtorch;
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

            /// <summary>
            /// Threads a fused optimizer may split its update across (default 1); libtorch's own optimizers use
            /// libtorch's intra-op threads instead.
            /// </summary>
            public int Threads { get; set; } = 1;

            /// <summary>Updates every parameter from its gradient.</summary>
            public void step() => NativeMethods.Check(_backend.Step(Handle, Threads), $"{GetType().Name}.step");

            /// <summary>Drops (by default) or zeroes every parameter's gradient.</summary>
            public void zero_grad(bool set_to_none = true) =>
                NativeMethods.Check(_backend.ZeroGrad(Handle, set_to_none), $"{GetType().Name}.zero_grad");

            /// <summary>The learning rate (of every parameter group).</summary>
            public double LearningRate
            {
                get
                {
                    NativeMethods.Check(_backend.GetLearningRate(Handle, out double lr), "reading the learning rate");
                    return lr;
                }
                set
                {
                    if (!(value >= 0) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(nameof(value), $"Learning rate must be a finite non-negative number, got {value}.");
                    NativeMethods.Check(_backend.SetLearningRate(Handle, value), "setting the learning rate");
                }
            }

            /// <summary>The optimizer's state (moments, step counts, options) as bytes.</summary>
            public unsafe byte[] state_dict()
            {
                NativeMethods.Check(_backend.Save(Handle, null, 0, out long size), "saving optimizer state");
                var buffer = new byte[size];
                fixed (byte* p = buffer)
                    NativeMethods.Check(_backend.Save(Handle, p, size, out _), "saving optimizer state");
                return buffer;
            }

            /// <summary>Restores state saved by <see cref="state_dict"/> from an optimizer over parameters of the same shapes.</summary>
            public unsafe void load_state_dict(byte[] state)
            {
                ArgumentNullException.ThrowIfNull(state);
                fixed (byte* p = state)
                    NativeMethods.Check(_backend.Load(Handle, p, state.Length), "loading optimizer state");
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
                if (handle != IntPtr.Zero) _backend.Free(handle);
            }
        }

        /// <summary>
        /// Adam (Kingma &amp; Ba 2015); weight_decay adds an L2 term to the gradient. With <paramref name="fused"/>
        /// the update is one pass over memory per parameter (as PyTorch's fused=True; no amsgrad; CPU tensors).
        /// </summary>
        public static Modules.Adam Adam(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
            double eps = 1e-8, double weight_decay = 0, bool amsgrad = false, bool fused = false) =>
            new(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad, decoupled: false, fused);

        /// <summary>AdamW (Loshchilov &amp; Hutter 2019): Adam with decoupled weight decay; fused as for Adam.</summary>
        public static Modules.AdamW AdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
            double eps = 1e-8, double weight_decay = 0.01, bool amsgrad = false, bool fused = false) =>
            new(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad, fused);

        /// <summary>Stochastic gradient descent with optional (Nesterov) momentum.</summary>
        public static Modules.SGD SGD(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double dampening = 0,
            double weight_decay = 0, bool nesterov = false) =>
            new(parameters, lr, momentum, dampening, weight_decay, nesterov);
    }
}
