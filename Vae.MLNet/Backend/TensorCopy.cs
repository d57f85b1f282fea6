using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Vae.MLNet.Backend;

/// <summary>
/// One bulk copy between managed spans and a tensor's memory. TorchSharp 0.107's <c>TensorAccessor.CopyFrom(ReadOnlySpan)</c>
/// walks every element through a stride computation (a large share of Transform's time) and its <c>CopyTo(Span)</c>
/// allocates a whole array first, so this goes through the CPU tensor's byte view (<see cref="Tensor.bytes"/>) instead.
/// </summary>
internal static class TensorCopy
{
    /// <summary>A new float32 CPU tensor of <paramref name="shape"/> holding <paramref name="values"/>.</summary>
    public static Tensor FromSpan(ReadOnlySpan<float> values, params long[] shape)
    {
        var tensor = empty(shape, ScalarType.Float32);
        if (tensor.numel() != values.Length)
        {
            tensor.Dispose();
            throw new ArgumentException($"{values.Length} values do not fill a tensor of shape [{string.Join(", ", shape)}].", nameof(values));
        }
        values.CopyTo(MemoryMarshal.Cast<byte, float>(tensor.bytes));
        return tensor;
    }

    /// <summary>Copies a float32 tensor's values (made contiguous on the CPU first) into <paramref name="destination"/>.</summary>
    public static void ToSpan(Tensor tensor, Span<float> destination)
    {
        if (tensor.dtype != ScalarType.Float32) throw new ArgumentException($"Expected a float32 tensor, got {tensor.dtype}.", nameof(tensor));
        using var cpu = tensor.device_type == TorchSharp.DeviceType.CPU ? tensor.contiguous() : tensor.cpu().contiguous();
        MemoryMarshal.Cast<byte, float>(cpu.bytes).CopyTo(destination);
    }

    /// <summary>A float32 tensor's values as a new array.</summary>
    public static float[] ToArray(Tensor tensor)
    {
        var values = new float[tensor.numel()];
        ToSpan(tensor, values);
        return values;
    }
}
