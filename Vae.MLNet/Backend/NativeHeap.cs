using System.Runtime.InteropServices;

namespace Vae.MLNet.Backend;

/// <summary>
/// Keeps glibc's malloc from handing every batch's tensors back to the kernel. libtorch allocates its CPU tensors with
/// malloc; under glibc's defaults a block over the mmap threshold (128 KiB, raised only as such blocks are freed) is
/// its own mmap, and free memory at the top of a heap over the trim threshold goes back to the kernel. A training step
/// frees and allocates the same 0.4–30 MB activations, gradients and unfold buffers every batch, so under those
/// defaults each batch faults its memory in afresh, and the page faults take a large share of Fit's time. With the
/// settings below they are gone and peak memory is unchanged (figures in benchmarks/README.md).
/// </summary>
/// <remarks>
/// The settings are process-wide, so they are applied once, only on glibc, and never over the application's own
/// choice: not when MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_ or a glibc.malloc tunable is set, nor when
/// VAE_MLNET_MALLOC=default asks to keep glibc's defaults. TorchSharp and Microsoft.ML offer no such setting, hence this.
/// </remarks>
internal static class NativeHeap
{
    /// <summary>Blocks up to this size come from the heap (glibc's largest allowed fixed threshold on 64-bit).</summary>
    public const int MmapThresholdBytes = 32 << 20;

    /// <summary>
    /// Free memory at the top of a heap is returned to the kernel only beyond this much; 64 MiB still let the
    /// convolutional Fit's batches be trimmed and faulted in again in some runs, which then ran several times slower.
    /// <see cref="Release"/> returns what is free when a Fit ends.
    /// </summary>
    public const int TrimThresholdBytes = 1 << 30;

    private const int MallocTrimThreshold = -1; // M_TRIM_THRESHOLD in malloc.h
    private const int MallocMmapThreshold = -3; // M_MMAP_THRESHOLD in malloc.h

    private static readonly Lazy<bool> Applied = new(Apply, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True once this process's malloc runs with the thresholds above.</summary>
    public static bool IsTuned => Applied.Value;

    /// <summary>Applies the thresholds once per process where allowed; later calls do nothing.</summary>
    public static void EnsureTuned() => _ = Applied.Value;

    /// <summary>Returns free heap memory to the kernel (after a Fit), where the thresholds keep it otherwise.</summary>
    public static void Release()
    {
        if (IsTuned) malloc_trim(0);
    }

    /// <summary>Why the thresholds are left alone in this process; null where they may be applied.</summary>
    internal static string? ReasonToKeepDefaults(Func<string, string?> environment)
    {
        if (ApplicationChoice.ReasonToLeaveAlone(environment, "VAE_MLNET_MALLOC", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_") is { } reason)
            return reason;
        return environment("GLIBC_TUNABLES")?.Contains("glibc.malloc.", StringComparison.Ordinal) == true ? "GLIBC_TUNABLES sets malloc" : null;
    }

    private static bool Apply()
    {
        if (ReasonToKeepDefaults(Environment.GetEnvironmentVariable) is not null)
            return false;
        try
        {
            // The mmap threshold first: setting either one ends glibc's dynamic adjustment of both.
            return mallopt(MallocMmapThreshold, MmapThresholdBytes) == 1 && mallopt(MallocTrimThreshold, TrimThresholdBytes) == 1;
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
