using static TorchSharp.torch;

namespace Vae.MLNet.Backend;

/// <summary>One bulk copy between managed spans and a tensor's memory (TorchSharp's accessor does it as a block copy).</summary>
internal static class TensorCopy
{
    /// <summary>A new float32 CPU tensor of <paramref name="shape"/> holding <paramref name="values"/>.</summary>
    public static Tensor FromSpan(ReadOnlySpan<float> values, params long[] shape)
    {
        var tensor = empty(shape, ScalarType.Float32);
        using var accessor = tensor.data<float>();
        accessor.CopyFrom(values);
        return tensor;
    }

    /// <summary>Copies a float32 tensor's values (made contiguous on the CPU first) into <paramref name="destination"/>.</summary>
    public static void ToSpan(Tensor tensor, Span<float> destination)
    {
        using var cpu = tensor.device_type == TorchSharp.DeviceType.CPU ? tensor.contiguous() : tensor.cpu().contiguous();
        using var accessor = cpu.data<float>();
        accessor.CopyTo(destination);
    }

    /// <summary>A float32 tensor's values as a new array.</summary>
    public static float[] ToArray(Tensor tensor)
    {
        var values = new float[tensor.numel()];
        ToSpan(tensor, values);
        return values;
    }
}
