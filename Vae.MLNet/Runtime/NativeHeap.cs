using System.Runtime.InteropServices;

namespace Vae.MLNet.Runtime;

/// <summary>
/// Keeps glibc's malloc from handing every batch's tensors back to the kernel while a Fit runs. libtorch allocates its
/// CPU tensors with malloc; under glibc's defaults a block over the mmap threshold (128 KiB, raised only as such blocks
/// are freed) is its own mmap, and free memory at the top of a heap over the trim threshold goes back to the kernel. A
/// training step frees and allocates the same activations, gradients and unfold buffers every batch, so under those
/// defaults each batch faults its memory in afresh (benchmarks/README.md has the page faults and the Fit's speed with
/// and without).
/// </summary>
/// <remarks>
/// The thresholds are process-wide, so they are set when the first of the Fits running in the process enters
/// (<see cref="FitProcessScope"/>) and put back when the last one leaves, followed by malloc_trim. glibc has no getter:
/// "put back" means its documented defaults (128 KiB each, fixed from then on: glibc's dynamic raising of them ends with
/// the first mallopt and cannot be turned on again). Only on glibc, and never over the application's own choice: not
/// when MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_ or a glibc.malloc tunable is set, nor when the application opts
/// out (<see cref="ApplicationChoice.Malloc"/>). TorchSharp and Microsoft.ML offer no such setting, hence this.
/// </remarks>
internal static class NativeHeap
{
    /// <summary>Blocks up to this size come from the heap during a Fit (glibc's largest allowed fixed threshold on 64-bit).</summary>
    public const int MmapThresholdBytes = 32 << 20;

    /// <summary>
    /// During a Fit, free memory at the top of a heap is returned to the kernel only beyond this much: a smaller value
    /// (64 MiB) still let the convolutional Fit's batches be trimmed and faulted in again. The last Fit to leave trims.
    /// </summary>
    public const int TrimThresholdBytes = 1 << 30;

    /// <summary>glibc's default for both thresholds (DEFAULT_MMAP_THRESHOLD_MIN, DEFAULT_TRIM_THRESHOLD), put back after the Fits.</summary>
    public const int GlibcDefaultBytes = 128 * 1024;

    private const int MallocTrimThreshold = -1; // M_TRIM_THRESHOLD in malloc.h
    private const int MallocMmapThreshold = -3; // M_MMAP_THRESHOLD in malloc.h

    private static readonly Lock Gate = new();
    private static int _fits;
    private static bool _tuned;

    /// <summary>True while the Fits running in this process run malloc with the thresholds above.</summary>
    public static bool IsTuned
    {
        get
        {
            lock (Gate) return _tuned;
        }
    }

    /// <summary>A Fit starts: the first one sets the thresholds where allowed.</summary>
    public static void Enter()
    {
        lock (Gate)
        {
            if (_fits++ == 0 && ReasonToKeepDefaults(Environment.GetEnvironmentVariable, ApplicationChoice.IsSwitchOn) is null)
                _tuned = TrySet(MmapThresholdBytes, TrimThresholdBytes);
        }
    }

    /// <summary>A Fit ends: the last one puts glibc's defaults back and returns free heap memory to the kernel.</summary>
    public static void Leave()
    {
        lock (Gate)
        {
            if (--_fits > 0 || !_tuned) return;
            _tuned = false;
            TrySet(GlibcDefaultBytes, GlibcDefaultBytes);
            malloc_trim(0);
        }
    }

    /// <summary>Returns free heap memory to the kernel now (malloc_trim), for measurements of resident memory; nothing off glibc.</summary>
    internal static void ReturnFreeMemory()
    {
        try
        {
            malloc_trim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // not glibc: nothing to return this way
        }
    }

    /// <summary>Why the thresholds are left alone in this process; null where a Fit may set them.</summary>
    internal static string? ReasonToKeepDefaults(Func<string, string?> environment, Func<string, bool> isSwitchOn)
    {
        if (ApplicationChoice.ReasonToLeaveAlone(environment, isSwitchOn, ApplicationChoice.Malloc, "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_") is { } reason)
            return reason;
        return environment("GLIBC_TUNABLES")?.Contains("glibc.malloc.", StringComparison.Ordinal) == true ? "GLIBC_TUNABLES sets malloc" : null;
    }

    private static bool TrySet(int mmapThreshold, int trimThreshold)
    {
        try
        {
            // The mmap threshold first: setting either one ends glibc's dynamic adjustment of both.
            return mallopt(MallocMmapThreshold, mmapThreshold) == 1 && mallopt(MallocTrimThreshold, trimThreshold) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc (musl has no such knobs): nothing to tune
        }
    }

    [DllImport("libc.so.6", ExactSpelling = true)]
    private static extern int mallopt(int parameter, int value);

    [DllImport("libc.so.6", ExactSpelling = true)]
    private static extern int malloc_trim(nuint pad);
}
