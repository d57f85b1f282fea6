using Vae.MLNet.Kernels;

namespace Vae.MLNet.Runtime;

/// <summary>
/// Everything a Fit changes in its process, for the Fit's duration only: glibc's malloc thresholds
/// (<see cref="NativeHeap"/>), libtorch's intra-op thread count (<see cref="LibtorchThreads"/>) and the packed kernels'
/// threads on the Fit's thread. Entered by the training loops and disposed when they end, however they end; loading a
/// model, Transform and PredictionEngine enter none, so they leave the process as they found it.
/// </summary>
internal sealed class FitProcessScope : IDisposable
{
    private readonly bool _threadsChanged;
    private readonly int? _packedThreadsBefore;
    private bool _left;

    private FitProcessScope(TrainingThreadPolicy policy)
    {
        NativeHeap.Enter();
        try
        {
            _threadsChanged = LibtorchThreads.Enter(policy.Libtorch);
        }
        catch
        {
            NativeHeap.Leave();
            throw;
        }
        if (policy.PackedKernels is int packed)
        {
            _packedThreadsBefore = PackedGemm.Threads;
            PackedGemm.Threads = packed;
        }
    }

    /// <summary>Enters a Fit with the thread policy (<see cref="TrainingThreadPolicy.For"/>) of a network that does or does not compute on the packed kernels.</summary>
    public static FitProcessScope Enter(int trainingThreads, bool usesPackedKernels) =>
        new(TrainingThreadPolicy.For(trainingThreads, TorchSharp.torch.get_num_threads(), usesPackedKernels && PackedGemm.IsPreferred));

    /// <summary>Puts back what the Fit changed (the last of overlapping Fits puts back the process-wide settings).</summary>
    public void Dispose()
    {
        if (_left) return;
        _left = true;
        if (_packedThreadsBefore is int packed) PackedGemm.Threads = packed;
        LibtorchThreads.Leave(_threadsChanged);
        NativeHeap.Leave();
    }
}
