namespace Vae.MLNet.Trainers;

/// <summary>One convergence check of an SDCA run: the primal and dual objectives after a pass.</summary>
/// <param name="Iteration">Passes completed.</param>
/// <param name="Primal">Primal objective.</param>
/// <param name="Dual">Dual objective; never above the primal.</param>
internal readonly record struct SdcaCheck(int Iteration, double Primal, double Dual)
{
    /// <summary>Primal minus dual: an upper bound on the primal's distance from its optimum.</summary>
    public double DualityGap => Primal - Dual;
}

/// <summary>What an SDCA run did: the resolved hyperparameters, every convergence check, and which pass was kept.</summary>
/// <param name="L2Regularization">The L2 constant used (given or auto-tuned).</param>
/// <param name="L1Threshold">The L1 soft threshold used (given or auto-tuned).</param>
/// <param name="MaximumNumberOfIterations">The pass limit used (given or auto-tuned).</param>
/// <param name="Iterations">Passes completed.</param>
/// <param name="Converged">Whether the relative duality gap fell below the tolerance.</param>
/// <param name="BestIteration">The pass whose model (lowest primal objective) is returned; 0 when never checked.</param>
/// <param name="Checks">Every convergence check, in order.</param>
internal sealed record SdcaSummary(
    double L2Regularization,
    double L1Threshold,
    int MaximumNumberOfIterations,
    int Iterations,
    bool Converged,
    int BestIteration,
    IReadOnlyList<SdcaCheck> Checks);
