using System.Runtime.InteropServices;

namespace Vae.MLNet.Runtime;

/// <summary>
/// Whether the strided convolutions may use libtorch's own kernels (oneDNN) in this process, before the self-check
/// (Acceleration/Convolutions/NativeConvolutions) compares them with unfold/fold. On an AMD EPYC (Zen 5) libtorch 2.10's AVX-512 oneDNN
/// kernels returned wrong transposed convolutions and convolution input gradients (231 of 700 shapes, errors up to the
/// values' own size, varying from run to run) and trained convolutional VAEs into NaN; capped at AVX2 every shape was
/// right, and Intel processors computed every shape right. So on AMD with AVX-512 the layers take the library's own
/// path (the packed convolutions or unfold/fold), in Fit and in Transform, unless oneDNN runs capped below AVX-512.
/// </summary>
/// <remarks>
/// The library never sets the cap: it is process-wide, read by oneDNN once, when it first runs, and only from libc's
/// environment (which .NET's Environment.SetEnvironmentVariable does not change), and child processes inherit it. An
/// application that wants oneDNN's kernels capped, for its own torch work or for these layers' speed, sets
/// ONEDNN_MAX_CPU_ISA=AVX2 in the environment it starts with (or with libc's setenv before its first torch call); the
/// layers then use libtorch's kernels again where the self-check finds them right. The application can also opt out of
/// the avoidance altogether (<see cref="ApplicationChoice.OneDnnAvoidance"/>), leaving the choice to the self-check.
/// </remarks>
internal static class OneDnnKernels
{
    private static readonly Lazy<string?> Reason = new(() => ReasonToAvoid(Processor.IsAmdWithAvx512, LibcVariable, ApplicationChoice.IsSwitchOn));

    /// <summary>True where the strided convolutions must not reach libtorch's kernels in this process.</summary>
    public static bool AreAvoided => Reason.Value is not null;

    /// <summary>Why the strided convolutions keep off libtorch's kernels here; null where they may use them (after the self-check).</summary>
    internal static string? ReasonToAvoid(bool amdWithAvx512, Func<string, string?> environment, Func<string, bool> isSwitchOn)
    {
        if (!amdWithAvx512) return null;
        if (ApplicationChoice.OneDnnAvoidance.IsChosenBy(environment, isSwitchOn)) return null;
        string? cap = environment("ONEDNN_MAX_CPU_ISA") ?? environment("DNNL_MAX_CPU_ISA");
        return IsBelowAvx512(cap) ? null : $"oneDNN may run its AVX-512 kernels on this AMD processor (ONEDNN_MAX_CPU_ISA={cap ?? "unset"})";
    }

    /// <summary>Whether a value of ONEDNN_MAX_CPU_ISA keeps oneDNN off AVX-512 (SSE41, AVX, AVX2, AVX2_VNNI…).</summary>
    internal static bool IsBelowAvx512(string? cap) =>
        cap is not null && (cap.StartsWith("SSE", StringComparison.OrdinalIgnoreCase) || cap.StartsWith("AVX", StringComparison.OrdinalIgnoreCase))
        && !cap.Contains("512", StringComparison.Ordinal) && !cap.StartsWith("AVX10", StringComparison.OrdinalIgnoreCase);

    // What oneDNN reads: libc's environment, which an application's setenv changes and .NET's copy does not show.
    private static string? LibcVariable(string name)
    {
        if (!OperatingSystem.IsLinux()) return Environment.GetEnvironmentVariable(name);
        try
        {
            return Marshal.PtrToStringUTF8(getenv(name));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Environment.GetEnvironmentVariable(name);
        }
    }

    [DllImport("libc.so.6", ExactSpelling = true)]
    private static extern nint getenv([MarshalAs(UnmanagedType.LPStr)] string name);
}
