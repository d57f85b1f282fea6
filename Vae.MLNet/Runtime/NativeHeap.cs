using System.Runtime.InteropServices;

namespace Vae.MLNet.Runtime;

/// <summary>
/// Keeps glibc's malloc from handing every batch's tensors back to the kernel while a Fit runs, and leaves it, after the
/// Fit, where glibc's own rule would stand in a process that has handled the Fit's blocks. libtorch allocates its CPU
/// tensors with malloc; a block over the mmap threshold is its own mmap, and free memory at the top of a heap over the
/// trim threshold goes back to the kernel. A training step frees and allocates the same activations, gradients and
/// unfold buffers every batch; served by mmap, each batch faults its memory in afresh (benchmarks/README.md, "malloc
/// during and after a Fit", has the page faults).
/// </summary>
/// <remarks>
/// <para>
/// glibc's default rule is dynamic: the thresholds start at 128 KiB, and each free of an mmapped block raises the mmap
/// threshold to that block's size (up to 32 MiB on 64-bit) and the trim threshold to twice that. The first mallopt ends
/// that rule for good, and glibc has no getter for the values it had reached. So while the Fits run the thresholds are
/// fixed high (<see cref="MmapThresholdBytes"/>, <see cref="TrimThresholdBytes"/>), and when the last Fit leaves they
/// are set where the dynamic rule stands once the blocks of a convolutional Fit or Transform have been freed: the mmap
/// threshold at its 32 MiB ceiling, the trim threshold at twice that; then malloc_trim returns the Fit's free memory.
/// Putting back the fixed 128 KiB start values instead made every later block over 128 KiB an mmap of its own (a
/// convolutional Transform after a Fit faulted each batch in afresh), which glibc's own rule would not have done. The
/// library cannot see which blocks a Fit freed, and a lower threshold, such as the largest block an MLP Fit frees,
/// does the same to the convolutional Transform's larger blocks.
/// </para>
/// <para>
/// The thresholds are process-wide, so they are set when the first of the Fits running in the process enters
/// (<see cref="FitProcessScope"/>) and changed when the last one leaves; a process that never Fits never sees a
/// mallopt. Only on glibc, and never over the application's own choice: not when MALLOC_MMAP_THRESHOLD_,
/// MALLOC_TRIM_THRESHOLD_ or a glibc.malloc tunable is set, nor when the application opts out
/// (<see cref="ApplicationChoice.Malloc"/>). TorchSharp and Microsoft.ML offer no such setting, hence this.
/// </para>
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

    /// <summary>
    /// The mmap threshold after the last Fit: glibc's ceiling for its dynamic threshold (DEFAULT_MMAP_THRESHOLD_MAX on
    /// 64-bit), where glibc's own rule stands once a block of that size has been freed.
    /// </summary>
    public const int MmapThresholdAfterFitsBytes = 32 << 20;

    /// <summary>The trim threshold after the last Fit: twice the mmap threshold, as glibc's dynamic rule pairs them.</summary>
    public const int TrimThresholdAfterFitsBytes = 2 * MmapThresholdAfterFitsBytes;

    private const int MallocTrimThreshold = -1; // M_TRIM_THRESHOLD in malloc.h
    private const int MallocMmapThreshold = -3; // M_MMAP_THRESHOLD in malloc.h

    private static readonly Lock Gate = new();
    private static int _fits;
    private static bool _tuned;

    /// <summary>True while the Fits running in this process run malloc with the Fit's thresholds.</summary>
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

    /// <summary>
    /// A Fit ends: the last one sets the thresholds glibc's dynamic rule would have reached and returns free heap memory
    /// to the kernel.
    /// </summary>
    public static void Leave()
    {
        lock (Gate)
        {
            if (--_fits > 0 || !_tuned) return;
            _tuned = false;
            TrySet(MmapThresholdAfterFitsBytes, TrimThresholdAfterFitsBytes);
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
