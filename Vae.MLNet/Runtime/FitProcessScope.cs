namespace Vae.MLNet.Runtime;

/// <summary>
/// Everything a Fit changes in its process, for the Fit's duration only: glibc's malloc thresholds
/// (<see cref="NativeHeap"/>) and libtorch's intra-op thread count (<see cref="LibtorchThreads"/>). Entered through the
/// acceleration's fit scope (Acceleration/IAcceleration.EnterFit, which adds the packed kernels' threads) by the
/// training loops and disposed when they end, however they end; loading a
/// model, Transform and PredictionEngine enter none, so they leave the process as they found it.
/// </summary>
internal sealed class FitProcessScope : IDisposable
{
    private readonly bool _threadsChanged;
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
    }

    /// <summary>Enters a Fit with libtorch's threads as <paramref name="policy"/> says (its packed-kernel threads are the caller's).</summary>
    public static FitProcessScope Enter(TrainingThreadPolicy policy) => new(policy);

    /// <summary>Puts back what the Fit changed (the last of overlapping Fits puts back the process-wide settings).</summary>
    public void Dispose()
    {
        if (_left) return;
        _left = true;
        LibtorchThreads.Leave(_threadsChanged);
        NativeHeap.Leave();
    }
}
