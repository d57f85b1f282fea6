namespace Vae.MLNet.Trainers;

/// <summary>
/// Options shared by the L-BFGS trainers (ML.NET nests this as <c>LbfgsTrainerBase.OptionsBase</c>).
/// </summary>
/// <remarks>
/// The objective minimized, as ML.NET defines it, with example weights <c>s_i</c>, their sum <c>S</c>, the row
/// count <c>N</c> and the per-example log loss <c>l_i</c>:
/// <c>F(w, b) = (sum_i s_i l_i + L2Regularization / 2 * |w|^2) / S + L1Regularization / N * |w|_1</c>.
/// The intercepts <c>b</c> are not regularized. With unit weights this is
/// <c>(sum_i l_i + L2/2 |w|^2 + L1 |w|_1) / N</c>, i.e. the regularization constants act on the summed loss.
/// L1 is handled by OWL-QN (Andrew and Gao, 2007).
/// </remarks>
public abstract class LbfgsOptionsBase : TrainerInputBaseWithWeight
{
    /// <summary>L2 regularization weight (on the summed loss; intercepts excluded). Default 1.</summary>
    public float L2Regularization = 1;

    /// <summary>L1 regularization weight (on the summed loss; intercepts excluded); positive values use OWL-QN. Default 1.</summary>
    public float L1Regularization = 1;

    /// <summary>
    /// Convergence tolerance: training stops when the objective's mean improvement over the last 5 iterations,
    /// relative to its current value, falls below this. Default 1e-7.
    /// </summary>
    public float OptimizationTolerance = 1e-7f;

    /// <summary>Number of past updates L-BFGS keeps to approximate the inverse Hessian. Default 20.</summary>
    public int HistorySize = 20;

    /// <summary>Maximum number of L-BFGS iterations. Default <see cref="int.MaxValue"/> (stop on tolerance only).</summary>
    public int MaximumNumberOfIterations = int.MaxValue;

    /// <summary>Constrain the weights (not the intercepts) to be non-negative. Default false.</summary>
    public bool EnforceNonNegativity;

    /// <summary>
    /// Accepted for compatibility with ML.NET code; training here is single-threaded so results are deterministic.
    /// </summary>
    public int? NumberOfThreads;

    private protected LbfgsOptionsBase()
    {
    }

    internal void Validate()
    {
        OptionChecks.Require(L2Regularization >= 0, nameof(L2Regularization), L2Regularization, "non-negative");
        OptionChecks.Require(L1Regularization >= 0, nameof(L1Regularization), L1Regularization, "non-negative");
        OptionChecks.Require(OptimizationTolerance > 0, nameof(OptimizationTolerance), OptimizationTolerance, "positive");
        OptionChecks.Require(HistorySize > 0, nameof(HistorySize), HistorySize, "positive");
        OptionChecks.Require(MaximumNumberOfIterations > 0, nameof(MaximumNumberOfIterations), MaximumNumberOfIterations, "positive");
    }
}
