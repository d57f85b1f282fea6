using Vae.MLNet.Transforms;

namespace Vae.MLNet;

/// <summary>Column operations on <see cref="MLContext.Transforms"/>: concatenate, copy, drop, select.</summary>
public static class TransformExtensionsCatalog
{
    /// <summary>Copies <paramref name="inputColumnName"/> to <paramref name="outputColumnName"/>.</summary>
    public static ColumnCopyingEstimator CopyColumns(this TransformsCatalog catalog, string outputColumnName, string inputColumnName)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ColumnCopyingEstimator((outputColumnName, inputColumnName));
    }

    /// <summary>Copies each pair's input column to its output column.</summary>
    public static ColumnCopyingEstimator CopyColumns(this TransformsCatalog catalog, params InputOutputColumnPair[] columns)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ColumnCopyingEstimator(InputOutputColumnPair.ToTuples(columns));
    }
}
