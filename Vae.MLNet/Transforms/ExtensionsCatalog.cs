using Vae.MLNet.Transforms;

namespace Vae.MLNet;

/// <summary>Missing-value handling on <see cref="MLContext.Transforms"/>.</summary>
public static class ExtensionsCatalog
{
    /// <summary>Replaces NaN values of a float or double column (see <see cref="MissingValueReplacingEstimator"/>).</summary>
    public static MissingValueReplacingEstimator ReplaceMissingValues(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        MissingValueReplacingEstimator.ReplacementMode replacementMode = MissingValueReplacingEstimator.ReplacementMode.DefaultValue, bool imputeBySlot = true) =>
        ReplaceMissingValues(catalog, [new InputOutputColumnPair(outputColumnName, inputColumnName)], replacementMode, imputeBySlot);

    /// <summary>Replaces NaN values of several columns.</summary>
    public static MissingValueReplacingEstimator ReplaceMissingValues(this TransformsCatalog catalog, InputOutputColumnPair[] columns,
        MissingValueReplacingEstimator.ReplacementMode replacementMode = MissingValueReplacingEstimator.ReplacementMode.DefaultValue, bool imputeBySlot = true)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new MissingValueReplacingEstimator(InputOutputColumnPair.ToTuples(columns)
            .Select(p => new MissingValueReplacingEstimator.ColumnOptions(p.outputColumnName, p.inputColumnName, replacementMode, imputeBySlot)).ToArray());
    }
}
