namespace Vae.MLNet.Trainers;

/// <summary>ML.NET's data-size heuristics for SDCA hyperparameters left unset, for a single training thread.</summary>
internal static class SdcaDefaults
{
    /// <summary>The smallest L2 constant; the dual needs a positive one and smaller values converge very slowly.</summary>
    public const double MinimumL2 = 1e-9;

    /// <summary>Passes: <c>3 * max(1, 500000 / rows)</c>.</summary>
    public static int MaximumIterations(long rows) => (int)Math.Max(1, 500_000 / rows) * 3;

    /// <summary>Classification L2: <c>max(1e-6, 20 / (expected passes * rows))</c>, expecting half the pass limit (at least 2).</summary>
    public static double ClassificationL2(int maximumIterations, long rows) =>
        Math.Max(1e-6, 20.0 / (Math.Max(2, maximumIterations / 2) * (double)rows));

    /// <summary>Regression L2 by row count: 1e-2 below 200 rows, 1e-4 above 10,000, else 1e-3.</summary>
    public static double RegressionL2(long rows) => rows > 10_000 ? 1e-4 : rows < 200 ? 1e-2 : 1e-3;

    /// <summary>L1 soft threshold by feature count: 0 below 100, 0.25 below 1,000, 0.5 below 10,000, else 1.</summary>
    public static double L1Threshold(int features) => features < 100 ? 0 : features < 1_000 ? 0.25 : features < 10_000 ? 0.5 : 1;
}
