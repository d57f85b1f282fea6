using Vae.MLNet.Torch.Native;

namespace Vae.MLNet.Torch;

public static partial class torch
{
    /// <summary>
    /// A libtorch tensor. The managed object owns one native handle and frees it exactly once: on Dispose, when its
    /// dispose scope closes, or (as a last resort) when it is finalized.
    /// </summary>
    public partial class Tensor : IDisposable
    {
        private IntPtr _handle;

        internal Tensor(IntPtr handle, bool ownedByScope = true)
        {
            _handle = handle;
            if (ownedByScope) DisposeScope.Current?.Add(this);
        }

        /// <summary>Wraps a handle a native call returned, throwing the native error when it is null.</summary>
        internal static Tensor Wrap(IntPtr handle, Func<string> context) =>
            handle != IntPtr.Zero ? new Tensor(handle) : throw NativeMethods.Failure(context());

        /// <summary>Finalizer: frees the native tensor if nobody disposed it.</summary>
        ~Tensor() => Free();

        internal DisposeScope? OwningScope { get; set; }

        /// <summary>The native handle; throws when the tensor was disposed.</summary>
        public IntPtr Handle => _handle != IntPtr.Zero
            ? _handle
            : throw new ObjectDisposedException(nameof(Tensor), "The tensor was disposed (directly or by its dispose scope) and cannot be used.");

        /// <summary>True once the tensor has been disposed.</summary>
        public bool IsInvalid => _handle == IntPtr.Zero;

        /// <summary>Frees the native tensor.</summary>
        public void Dispose()
        {
            OwningScope?.Remove(this);
            Free();
            GC.SuppressFinalize(this);
        }

        private void Free()
        {
            IntPtr handle = Interlocked.Exchange(ref _handle, IntPtr.Zero);
            if (handle != IntPtr.Zero) NativeMethods.vae_tensor_free(handle);
        }

        /// <summary>Moves this tensor from its dispose scope to the enclosing one, so it survives the scope.</summary>
        public Tensor MoveToOuterDisposeScope() => OwningScope?.MoveToOuter(this) ?? this;

        /// <summary>Takes this tensor out of every dispose scope; the caller must dispose it.</summary>
        public Tensor DetachFromDisposeScope() => OwningScope?.Detach(this) ?? this;

        /// <summary>The sizes of the dimensions.</summary>
        public unsafe long[] shape
        {
            get
            {
                NativeMethods.Check(NativeMethods.vae_tensor_ndim(Handle, out long ndim), "reading a tensor's shape");
                var result = new long[ndim];
                fixed (long* p = result)
                    NativeMethods.Check(NativeMethods.vae_tensor_shape(Handle, p, result.Length), "reading a tensor's shape");
                return result;
            }
        }

        /// <summary>The number of dimensions.</summary>
        public long Dimensions
        {
            get
            {
                NativeMethods.Check(NativeMethods.vae_tensor_ndim(Handle, out long ndim), "reading a tensor's rank");
                return ndim;
            }
        }

        /// <summary>The number of dimensions (PyTorch's dim()).</summary>
        public long dim() => Dimensions;

        /// <summary>The size of one dimension; negative dimensions count from the end.</summary>
        public long size(int dimension)
        {
            long[] s = shape;
            int d = dimension < 0 ? dimension + s.Length : dimension;
            if (d < 0 || d >= s.Length)
                throw new ArgumentOutOfRangeException(nameof(dimension), $"Dimension {dimension} is out of range for a tensor of shape {ShapeString(s)}.");
            return s[d];
        }

        /// <summary>The total number of elements.</summary>
        public long numel()
        {
            long n = 1;
            foreach (long s in shape) n *= s;
            return n;
        }

        /// <summary>The element type.</summary>
        public ScalarType dtype
        {
            get
            {
                NativeMethods.Check(NativeMethods.vae_tensor_dtype(Handle, out int dtype), "reading a tensor's dtype");
                return (ScalarType)dtype;
            }
        }

        /// <summary>The device the tensor lives on.</summary>
        public Device device
        {
            get
            {
                NativeMethods.Check(NativeMethods.vae_tensor_device(Handle, out int type, out int index), "reading a tensor's device");
                return new Device((DeviceType)type, index);
            }
        }

        /// <summary>The kind of device the tensor lives on.</summary>
        public DeviceType device_type => device.type;

        /// <summary>Whether operations on this tensor are recorded for backpropagation.</summary>
        public bool requires_grad
        {
            get
            {
                NativeMethods.Check(NativeMethods.vae_tensor_requires_grad(Handle, out bool value), "reading requires_grad");
                return value;
            }
            set => NativeMethods.Check(NativeMethods.vae_tensor_set_requires_grad(Handle, value), "setting requires_grad (only floating-point leaf tensors can require gradients)");
        }

        /// <summary>Sets <see cref="requires_grad"/> and returns this tensor.</summary>
        public Tensor requires_grad_(bool requires = true)
        {
            requires_grad = requires;
            return this;
        }

        /// <summary>Whether both wrap the same native tensor.</summary>
        public bool is_same(Tensor other)
        {
            NativeMethods.Check(NativeMethods.vae_tensor_is_same(Handle, other.Handle, out bool same), "comparing tensors");
            return same;
        }

        /// <summary>A short description: shape, dtype and device.</summary>
        public override string ToString() =>
            IsInvalid ? "Tensor (disposed)" : $"{ShapeString(shape)}, type = {dtype}, device = {device}";

        internal string ShapeString() => ShapeString(shape);

        internal static string ShapeString(long[] s) => "[" + string.Join(", ", s) + "]";
    }
}
