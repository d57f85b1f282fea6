using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Vae.MLNet.Backend;

/// <summary>
/// Caps oneDNN, the library behind libtorch's CPU convolutions, at AVX2 on AMD processors with AVX-512. On an AMD EPYC
/// (Zen 5) libtorch 2.10's AVX-512 oneDNN kernels returned wrong transposed convolutions and convolution input
/// gradients (231 of 700 shapes, errors up to the values' own size) and trained convolutional VAEs into NaN; capped at
/// AVX2 every shape was right, and oneDNN's AVX2 kernels are faster than the unfold/fold path that avoids oneDNN
/// (<see cref="Networks.NativeConvolutions"/> checks the kernels before using them and falls back to that path if they
/// are still wrong; figures in benchmarks/README.md). Intel processors keep AVX-512: they computed every shape right.
/// </summary>
/// <remarks>
/// oneDNN reads ONEDNN_MAX_CPU_ISA once, when it first runs, and only from the process environment (libc's, which .NET's
/// Environment.SetEnvironmentVariable does not change), so it is set with libc's setenv before the first torch call;
/// an application's own ONEDNN_MAX_CPU_ISA or DNNL_MAX_CPU_ISA wins, and VAE_MLNET_ONEDNN=default leaves oneDNN alone.
/// </remarks>
internal static class OneDnnIsa
{
    /// <summary>The value given to ONEDNN_MAX_CPU_ISA.</summary>
    public const string Cap = "AVX2";

    private static readonly Lazy<bool> Applied = new(Apply, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True once this process asked oneDNN for AVX2 at most.</summary>
    public static bool IsCapped => Applied.Value;

    /// <summary>Sets the cap once per process where it applies; later calls do nothing.</summary>
    public static void EnsureCapped() => _ = Applied.Value;

    /// <summary>Why oneDNN is left at its own choice in this process; null where the cap applies.</summary>
    internal static string? ReasonToLeaveAlone(Func<string, string?> environment, bool amdWithAvx512) =>
        ApplicationChoice.ReasonToLeaveAlone(environment, "VAE_MLNET_ONEDNN", "ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA")
        ?? (amdWithAvx512 ? null : "not an AMD processor with AVX-512");

    /// <summary>
    /// Whether this processor is AMD's (CPUID vendor "AuthenticAMD") and has AVX-512F (leaf 7, EBX bit 16). Read from
    /// CPUID, not from .NET's Avx512F.IsSupported: oneDNN looks at the processor whatever .NET is told to use.
    /// </summary>
    internal static bool IsAmdWithAvx512()
    {
        if (!X86Base.IsSupported) return false;
        var (maxLeaf, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        // The vendor string is EBX, EDX, ECX: "Auth" "enti" "cAMD".
        bool amd = ebx == 0x68747541 && edx == 0x69746E65 && ecx == 0x444D4163;
        return amd && maxLeaf >= 7 && (X86Base.CpuId(7, 0).Ebx & (1 << 16)) != 0;
    }

    private static bool Apply()
    {
        if (ReasonToLeaveAlone(Environment.GetEnvironmentVariable, IsAmdWithAvx512()) is not null)
            return false;
        try
        {
            return setenv("ONEDNN_MAX_CPU_ISA", Cap, 0) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc.so.6", ExactSpelling = true)]
    private static extern int setenv([MarshalAs(UnmanagedType.LPStr)] string name, [MarshalAs(UnmanagedType.LPStr)] string value, int overwrite);
}
