using System.Runtime.Intrinsics.X86;

namespace Vae.MLNet.Runtime;

/// <summary>What the library's process-level choices need to know about the processor.</summary>
internal static class Processor
{
    private static readonly Lazy<bool> AmdWithAvx512 = new(ReadAmdWithAvx512);

    /// <summary>
    /// Whether this processor is AMD's (CPUID vendor "AuthenticAMD") and has AVX-512F (leaf 7, EBX bit 16): where
    /// libtorch's MKL runs a generic matrix product and its oneDNN AVX-512 convolution kernels were seen wrong. Read
    /// from CPUID, not from .NET's Avx512F.IsSupported: libtorch looks at the processor whatever .NET is told to use.
    /// </summary>
    public static bool IsAmdWithAvx512 => AmdWithAvx512.Value;

    private static bool ReadAmdWithAvx512()
    {
        if (!X86Base.IsSupported) return false;
        var (maxLeaf, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        // The vendor string is EBX, EDX, ECX: "Auth" "enti" "cAMD".
        bool amd = ebx == 0x68747541 && edx == 0x69746E65 && ecx == 0x444D4163;
        return amd && maxLeaf >= 7 && (X86Base.CpuId(7, 0).Ebx & (1 << 16)) != 0;
    }
}
