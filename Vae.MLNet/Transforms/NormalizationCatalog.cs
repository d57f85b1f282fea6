using Vae.MLNet.Transforms;
using Mode = Vae.MLNet.Transforms.NormalizingEstimator.NormalizationMode;

namespace Vae.MLNet;

/// <summary>Normalizers on <see cref="MLContext.Transforms"/>.</summary>
public static class NormalizationCatalog
{
    /// <summary>Scales by the observed minimum and maximum: into [-1, 1] keeping zeros (<paramref name="fixZero"/>), else into [0, 1].</summary>
    public static NormalizingEstimator NormalizeMinMax(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        long maximumExampleCount = 1_000_000_000, bool fixZero = true) =>
        Make(catalog, [new(outputColumnName, inputColumnName)], Mode.MinMax, maximumExampleCount, fixZero, false);

    /// <summary>Min-max normalization of several columns.</summary>
    public static NormalizingEstimator NormalizeMinMax(this TransformsCatalog catalog, InputOutputColumnPair[] columns,
        long maximumExampleCount = 1_000_000_000, bool fixZero = true) =>
        Make(catalog, columns, Mode.MinMax, maximumExampleCount, fixZero, false);

    /// <summary>Normalizes by the observed mean and variance (see <see cref="NormalizingEstimator"/> for the formulas).</summary>
    public static NormalizingEstimator NormalizeMeanVariance(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        long maximumExampleCount = 1_000_000_000, bool fixZero = true, bool useCdf = false) =>
        Make(catalog, [new(outputColumnName, inputColumnName)], Mode.MeanVariance, maximumExampleCount, fixZero, useCdf);

    /// <summary>Mean-variance normalization of several columns.</summary>
    public static NormalizingEstimator NormalizeMeanVariance(this TransformsCatalog catalog, InputOutputColumnPair[] columns,
        long maximumExampleCount = 1_000_000_000, bool fixZero = true, bool useCdf = false) =>
        Make(catalog, columns, Mode.MeanVariance, maximumExampleCount, fixZero, useCdf);

    private static NormalizingEstimator Make(TransformsCatalog catalog, InputOutputColumnPair[] columns, Mode mode, long maximumExampleCount, bool fixZero, bool useCdf)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumExampleCount, 1);
        return new NormalizingEstimator(InputOutputColumnPair.ToTuples(columns)
            .Select(p => new NormalizingEstimator.ColumnOptions(p.outputColumnName, p.inputColumnName, mode, maximumExampleCount, fixZero, useCdf)).ToArray());
    }
}
