using Vae.MLNet.Torch.Native;

namespace Vae.MLNet.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>The value of a one-element tensor.</summary>
        public T item<T>() where T : unmanaged
        {
            if (NativeMethods.vae_tensor_item(Handle, out double asDouble, out long asLong) != 0)
                throw NativeMethods.Failure($"item() of a tensor of shape {ShapeString()} (item needs exactly one element)");
            object value = typeof(T) switch
            {
                var t when t == typeof(float) => (float)asDouble,
                var t when t == typeof(double) => asDouble,
                var t when t == typeof(long) => asLong,
                var t when t == typeof(int) => checked((int)asLong),
                var t when t == typeof(bool) => asDouble != 0,
                var t when t == typeof(byte) => checked((byte)asLong),
                _ => throw new NotSupportedException($"item<{typeof(T).Name}>() is not supported; use float, double, long, int, bool or byte."),
            };
            return (T)value;
        }

        /// <summary>Access to the elements in row-major order; the element type must match <see cref="dtype"/>.</summary>
        public TensorAccessor<T> data<T>() where T : unmanaged
        {
            ScalarType expected = ElementTypes.Of<T>();
            ScalarType actual = dtype;
            if (actual != expected)
                throw new ArgumentException($"data<{typeof(T).Name}>() needs a tensor of dtype {expected}, but this tensor has dtype {actual}.");
            return new TensorAccessor<T>(this);
        }

        /// <summary>The tensor converted to another element type.</summary>
        public Tensor to(ScalarType type) => To((int)type, -1, -1, false);
        /// <summary>The tensor on another device.</summary>
        public Tensor to(Device device)
        {
            device.EnsureAvailable();
            return To(-1, (int)device.type, device.index, false);
        }
        /// <summary>The tensor converted to another element type on another device.</summary>
        public Tensor to(ScalarType type, Device device)
        {
            device.EnsureAvailable();
            return To((int)type, (int)device.type, device.index, false);
        }
        /// <summary>The tensor converted to another element type (TorchSharp's name).</summary>
        public Tensor to_type(ScalarType type) => to(type);
        /// <summary>The tensor on the CPU.</summary>
        public Tensor cpu() => to(CPU);

        private Tensor To(int type, int deviceType, int deviceIndex, bool copy) =>
            Wrap(NativeMethods.vae_tensor_to(Handle, type, deviceType, deviceIndex, copy),
                () => $"converting a tensor of shape {ShapeString()} and dtype {dtype}");

        /// <summary>
        /// The elements of a contiguous CPU tensor of element type T, in place (no copy). The span is valid only while
        /// the tensor lives and is not resized; batch mappers use it to fill inputs and read outputs without a copy.
        /// </summary>
        internal unsafe Span<T> AsSpan<T>() where T : unmanaged
        {
            if (dtype != ElementTypes.Of<T>()) throw new ArgumentException($"AsSpan<{typeof(T).Name}>() on a tensor of dtype {dtype}.");
            NativeMethods.Check(NativeMethods.vae_tensor_data_ptr(Handle, out void* pointer), $"reading the memory of a tensor of shape {ShapeString()}");
            return new Span<T>(pointer, checked((int)numel()));
        }

        /// <summary>
        /// Where the data of a contiguous CPU tensor starts, and libtorch's version counter of it (PyTorch's t._version),
        /// which every in-place change raises: together they tell a cache derived from the tensor that it is stale.
        /// </summary>
        internal unsafe (IntPtr data, long version) DataStamp()
        {
            NativeMethods.Check(NativeMethods.vae_tensor_data_ptr(Handle, out void* pointer), $"reading the memory of a tensor of shape {ShapeString()}");
            NativeMethods.Check(NativeMethods.vae_tensor_version(Handle, out long version), "reading a tensor's version");
            return ((IntPtr)pointer, version);
        }

        /// <summary>Copies the elements into a span of exactly numel() elements of the tensor's own element type.</summary>
        internal unsafe void CopyTo<T>(Span<T> destination) where T : unmanaged
        {
            fixed (T* p = destination)
                NativeMethods.Check(NativeMethods.vae_tensor_copy_to(Handle, p, destination.Length, (int)ElementTypes.Of<T>()),
                    $"copying a tensor of shape {ShapeString()} into a {typeof(T).Name} buffer of {destination.Length} elements");
        }
    }

    /// <summary>Maps .NET element types to libtorch dtypes.</summary>
    internal static class ElementTypes
    {
        internal static ScalarType Of<T>() where T : unmanaged => typeof(T) switch
        {
            var t when t == typeof(float) => ScalarType.Float32,
            var t when t == typeof(double) => ScalarType.Float64,
            var t when t == typeof(long) => ScalarType.Int64,
            var t when t == typeof(int) => ScalarType.Int32,
            var t when t == typeof(short) => ScalarType.Int16,
            var t when t == typeof(sbyte) => ScalarType.Int8,
            var t when t == typeof(byte) => ScalarType.Byte,
            var t when t == typeof(bool) => ScalarType.Bool,
            _ => throw new NotSupportedException($"{typeof(T).Name} has no tensor dtype; use float, double, long, int, short, sbyte, byte or bool."),
        };
    }
}
