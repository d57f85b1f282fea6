using Vae.MLNet.Torch.Native;

namespace Vae.MLNet.Torch;

/// <summary>The entry point of the binding, shaped like TorchSharp's <c>torch</c> class.</summary>
public static partial class torch
{
    /// <summary>A tensor holding a copy of data with the given shape (one dimension of data.Length when null).</summary>
    public static Tensor tensor(float[] data, long[]? shape = null, Device? device = null, bool requires_grad = false) =>
        FromData<float>(data, shape, device, requires_grad);
    /// <summary>A Float64 tensor holding a copy of data.</summary>
    public static Tensor tensor(double[] data, long[]? shape = null, Device? device = null, bool requires_grad = false) =>
        FromData<double>(data, shape, device, requires_grad);
    /// <summary>An Int64 tensor holding a copy of data.</summary>
    public static Tensor tensor(long[] data, long[]? shape = null, Device? device = null) =>
        FromData<long>(data, shape, device, false);
    /// <summary>An Int32 tensor holding a copy of data.</summary>
    public static Tensor tensor(int[] data, long[]? shape = null, Device? device = null) =>
        FromData<int>(data, shape, device, false);
    /// <summary>A Bool tensor holding a copy of data.</summary>
    public static Tensor tensor(bool[] data, long[]? shape = null, Device? device = null) =>
        FromData<bool>(data, shape, device, false);
    /// <summary>A Byte tensor holding a copy of data.</summary>
    public static Tensor tensor(byte[] data, long[]? shape = null, Device? device = null) =>
        FromData<byte>(data, shape, device, false);
    /// <summary>A Float32 scalar (0-D) tensor.</summary>
    public static Tensor tensor(float value, bool requires_grad = false) => FromData<float>([value], [], null, requires_grad);
    /// <summary>A Float64 scalar (0-D) tensor.</summary>
    public static Tensor tensor(double value, bool requires_grad = false) => FromData<double>([value], [], null, requires_grad);

    /// <summary>A tensor holding a copy of a span, in one bulk copy.</summary>
    public static unsafe Tensor from_span<T>(ReadOnlySpan<T> data, long[] shape, bool requires_grad = false) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(shape);
        long expected = 1;
        foreach (long s in shape)
        {
            if (s < 0) throw new ArgumentException($"Shape {Tensor.ShapeString(shape)} has a negative size.", nameof(shape));
            expected *= s;
        }
        if (expected != data.Length)
            throw new ArgumentException($"Shape {Tensor.ShapeString(shape)} needs {expected} elements but the data has {data.Length}.", nameof(data));
        fixed (T* p = data)
        fixed (long* s = shape)
            return Tensor.Wrap(NativeMethods.vae_tensor_from_data(p, data.Length, (int)ElementTypes.Of<T>(), s, shape.Length, requires_grad),
                () => $"creating a tensor of shape {Tensor.ShapeString(shape)}");
    }

    private static Tensor FromData<T>(T[] data, long[]? shape, Device? device, bool requires_grad) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        if (device is null || device.type == DeviceType.CPU) return from_span<T>(data, shape ?? [data.Length], requires_grad);
        using var cpu = from_span<T>(data, shape ?? [data.Length]);
        var moved = cpu.to(device);
        if (requires_grad) moved.requires_grad = true;
        return moved;
    }

    private static unsafe Tensor Factory(FactoryKind kind, long[] size, double value, ScalarType? dtype, Device? device, bool requires_grad)
    {
        ArgumentNullException.ThrowIfNull(size);
        Device target = (device ?? CPU).EnsureAvailable();
        fixed (long* p = size)
            return Tensor.Wrap(NativeMethods.vae_tensor_factory((int)kind, p, size.Length, value, (int)(dtype ?? ScalarType.Float32),
                    (int)target.type, target.index, requires_grad),
                () => $"{kind} with shape {Tensor.ShapeString(size)}");
    }

    /// <summary>An uninitialized tensor.</summary>
    public static Tensor empty(params long[] size) => Factory(FactoryKind.empty, size, 0, null, null, false);
    /// <summary>An uninitialized tensor with options.</summary>
    public static Tensor empty(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Factory(FactoryKind.empty, size, 0, dtype, device, requires_grad);
    /// <summary>A tensor of zeros.</summary>
    public static Tensor zeros(params long[] size) => Factory(FactoryKind.zeros, size, 0, null, null, false);
    /// <summary>A tensor of zeros with options.</summary>
    public static Tensor zeros(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Factory(FactoryKind.zeros, size, 0, dtype, device, requires_grad);
    /// <summary>A tensor of ones.</summary>
    public static Tensor ones(params long[] size) => Factory(FactoryKind.ones, size, 0, null, null, false);
    /// <summary>A tensor of ones with options.</summary>
    public static Tensor ones(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Factory(FactoryKind.ones, size, 0, dtype, device, requires_grad);
    /// <summary>Samples from the standard normal distribution.</summary>
    public static Tensor randn(params long[] size) => Factory(FactoryKind.randn, size, 0, null, null, false);
    /// <summary>Samples from the standard normal distribution, with options.</summary>
    public static Tensor randn(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Factory(FactoryKind.randn, size, 0, dtype, device, requires_grad);
    /// <summary>Samples from U[0, 1).</summary>
    public static Tensor rand(params long[] size) => Factory(FactoryKind.rand, size, 0, null, null, false);
    /// <summary>Samples from U[0, 1), with options.</summary>
    public static Tensor rand(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Factory(FactoryKind.rand, size, 0, dtype, device, requires_grad);
    /// <summary>A tensor with every element equal to value.</summary>
    public static Tensor full(long[] size, double value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Factory(FactoryKind.full, size, value, dtype, device, requires_grad);

    /// <summary>start, start + step, ... below stop (Int64 when all three are whole numbers and no dtype is given).</summary>
    public static Tensor arange(double start, double stop, double step = 1, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        Device target = (device ?? CPU).EnsureAvailable();
        bool whole = start == Math.Floor(start) && stop == Math.Floor(stop) && step == Math.Floor(step);
        var type = dtype ?? (whole ? ScalarType.Int64 : ScalarType.Float32);
        return Tensor.Wrap(NativeMethods.vae_tensor_arange(start, stop, step, (int)type, (int)target.type, target.index, requires_grad),
            () => $"arange({start}, {stop}, {step})");
    }

    /// <summary>0, 1, ..., stop - 1.</summary>
    public static Tensor arange(long stop) => arange(0, stop);

    /// <summary>The identity matrix with n rows and m columns (m = n when omitted).</summary>
    public static Tensor eye(long n, long m = -1, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        Device target = (device ?? CPU).EnsureAvailable();
        return Tensor.Wrap(NativeMethods.vae_tensor_eye(n, m < 0 ? n : m, (int)(dtype ?? ScalarType.Float32), (int)target.type, target.index, requires_grad),
            () => $"eye({n}, {m})");
    }

    private static Tensor Like(Tensor source, LikeKind kind) =>
        Tensor.Wrap(NativeMethods.vae_tensor_like(source.Handle, (int)kind), () => $"{kind}_like of a tensor of shape {source.ShapeString()}");

    /// <summary>Zeros with the shape, dtype and device of source.</summary>
    public static Tensor zeros_like(Tensor source) => Like(source, LikeKind.zeros);
    /// <summary>Ones with the shape, dtype and device of source.</summary>
    public static Tensor ones_like(Tensor source) => Like(source, LikeKind.ones);
    /// <summary>Standard normal samples with the shape, dtype and device of source.</summary>
    public static Tensor randn_like(Tensor source) => Like(source, LikeKind.randn);
    /// <summary>U[0, 1) samples with the shape, dtype and device of source.</summary>
    public static Tensor rand_like(Tensor source) => Like(source, LikeKind.rand);
    /// <summary>An uninitialized tensor with the shape, dtype and device of source.</summary>
    public static Tensor empty_like(Tensor source) => Like(source, LikeKind.empty);

    /// <summary>Seeds libtorch's random number generators (CPU and CUDA).</summary>
    public static void manual_seed(long seed) => NativeMethods.Check(NativeMethods.vae_manual_seed(seed), "manual_seed");
}
