using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Vae.MLNet.Backend;

/// <summary>The memory of a contiguous float32 CPU tensor, for the managed kernels that read and write it in place.</summary>
internal static unsafe class TensorMemory
{
    /// <summary>The tensor's first element; the caller keeps the tensor alive and contiguous while it uses the pointer.</summary>
    public static float* Pointer(Tensor tensor) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(tensor.bytes));
}
