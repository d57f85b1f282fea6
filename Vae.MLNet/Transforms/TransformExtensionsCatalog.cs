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

    /// <summary>Concatenates scalar and vector columns of one item type into the vector <paramref name="outputColumnName"/>.</summary>
    public static ColumnConcatenatingEstimator Concatenate(this TransformsCatalog catalog, string outputColumnName, params string[] inputColumnNames)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ColumnConcatenatingEstimator(outputColumnName, inputColumnNames);
    }

    /// <summary>Removes every column named in <paramref name="columnNames"/> (hidden ones too).</summary>
    public static ColumnSelectingEstimator DropColumns(this TransformsCatalog catalog, params string[] columnNames)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(columnNames);
        return new ColumnSelectingEstimator(null, columnNames, keepHidden: false);
    }

    /// <summary>Keeps only the columns named in <paramref name="columnNames"/>, in that order.</summary>
    public static ColumnSelectingEstimator SelectColumns(this TransformsCatalog catalog, params string[] columnNames) =>
        SelectColumns(catalog, columnNames, keepHidden: false);

    /// <summary>Keeps only the columns named in <paramref name="columnNames"/>; with <paramref name="keepHidden"/>, also the hidden columns of those names.</summary>
    public static ColumnSelectingEstimator SelectColumns(this TransformsCatalog catalog, string[] columnNames, bool keepHidden)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(columnNames);
        return new ColumnSelectingEstimator(columnNames, null, keepHidden);
    }
}
