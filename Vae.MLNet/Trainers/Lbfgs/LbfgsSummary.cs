namespace Vae.MLNet.Trainers;

/// <summary>Why an L-BFGS run stopped.</summary>
internal enum LbfgsTermination
{
    /// <summary>The mean relative improvement over the last iterations fell below the tolerance, or the gradient vanished.</summary>
    Converged,

    /// <summary>The iteration limit was reached.</summary>
    MaximumIterations,

    /// <summary>No step along the search direction decreased the objective: the optimum is reached to machine precision.</summary>
    LineSearchFailed,
}

/// <summary>What an L-BFGS run did and where it ended.</summary>
/// <param name="Iterations">Completed iterations (accepted steps).</param>
/// <param name="FunctionEvaluations">Passes over the data, counting line-search trials.</param>
/// <param name="Objective">Final objective, L1 term included.</param>
/// <param name="Termination">Why the run stopped.</param>
/// <param name="NonZeroWeights">Weights (intercepts excluded) that are not zero.</param>
internal sealed record LbfgsSummary(int Iterations, int FunctionEvaluations, double Objective, LbfgsTermination Termination, int NonZeroWeights);
