using Vae.MLNet.Acceleration.Gemm;
using Vae.MLNet.Runtime;

namespace Vae.MLNet.Acceleration;

/// <summary>
/// A Fit with the library's kernels: the process settings of <see cref="FitProcessScope"/>, the packed kernels'
/// threads on the Fit's thread (<see cref="PackedGemm.Threads"/>) and, where they run two, the helper thread, which
/// lives only while a Fit that uses it runs (<see cref="HelperThread.Enter"/>). All put back on dispose.
/// </summary>
internal sealed class KernelFitScope : IDisposable
{
    private readonly FitProcessScope _process;
    private readonly int? _packedThreadsBefore;
    private readonly IDisposable? _helper;
    private bool _left;

    public KernelFitScope(TrainingThreadPolicy policy)
    {
        _process = FitProcessScope.Enter(policy);
        if (policy.PackedKernels is not int packed) return;
        _packedThreadsBefore = PackedGemm.Threads;
        PackedGemm.Threads = packed;
        if (packed > 1) _helper = HelperThread.Enter();
    }

    public void Dispose()
    {
        if (_left) return;
        _left = true;
        _helper?.Dispose();
        if (_packedThreadsBefore is int packed) PackedGemm.Threads = packed;
        _process.Dispose();
    }
}
