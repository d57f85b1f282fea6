using System.Globalization;

namespace Vae.MLNet.Trainers;

/// <summary>One-line descriptions of solver runs for the context's log.</summary>
internal static class SummaryText
{
    public static string Describe(LbfgsSummary s) => string.Create(CultureInfo.InvariantCulture,
        $"L-BFGS stopped ({s.Termination}) after {s.Iterations} iterations and {s.FunctionEvaluations} passes: objective {s.Objective:G6}, {s.NonZeroWeights} non-zero weights.");

    public static string Describe(SdcaSummary s) => string.Create(CultureInfo.InvariantCulture,
        $"SDCA {(s.Converged ? "converged" : "stopped")} after {s.Iterations} of at most {s.MaximumNumberOfIterations} passes (L2 {s.L2Regularization:G3}, L1 threshold {s.L1Threshold:G3}); kept pass {s.BestIteration}.");

    public static string Describe(OlsResult r) => string.Create(CultureInfo.InvariantCulture,
        $"OLS fitted: R² {r.RSquared:G4}, adjusted R² {r.RSquaredAdjusted:G4}{(r.StandardErrors is null ? ", no per-parameter statistics" : "")}.");
}
