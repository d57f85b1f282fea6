using Vae.MLNet.Data;
using Vae.MLNet.Transforms;

namespace Vae.MLNet;

/// <summary>Key conversions on <see cref="TransformsCatalog.Conversion"/>.</summary>
public static class ConversionsExtensionsCatalog
{
    /// <summary>Maps values to keys learned from the data (or from <paramref name="keyData"/>); unseen and missing values map to key 0.</summary>
    /// <param name="catalog">The conversion catalog.</param>
    /// <param name="outputColumnName">The key column to create.</param>
    /// <param name="inputColumnName">The values (default: <paramref name="outputColumnName"/>).</param>
    /// <param name="maximumNumberOfKeys">The most distinct values kept; later new values map to 0.</param>
    /// <param name="keyOrdinality">Whether keys follow first occurrence or sorted value order.</param>
    /// <param name="addKeyValueAnnotationsAsText">Whether the KeyValues annotation holds the values as text.</param>
    /// <param name="keyData">Data whose column of the input name (or single column) defines the keys instead of the training data.</param>
    public static ValueToKeyMappingEstimator MapValueToKey(this TransformsCatalog.ConversionTransforms catalog, string outputColumnName, string? inputColumnName = null,
        int maximumNumberOfKeys = 1_000_000, ValueToKeyMappingEstimator.KeyOrdinality keyOrdinality = ValueToKeyMappingEstimator.KeyOrdinality.ByOccurrence,
        bool addKeyValueAnnotationsAsText = false, IDataView? keyData = null) =>
        MapValueToKey(catalog, [new InputOutputColumnPair(outputColumnName, inputColumnName)], maximumNumberOfKeys, keyOrdinality, addKeyValueAnnotationsAsText, keyData);

    /// <summary>Maps the values of several columns to keys.</summary>
    public static ValueToKeyMappingEstimator MapValueToKey(this TransformsCatalog.ConversionTransforms catalog, InputOutputColumnPair[] columns,
        int maximumNumberOfKeys = 1_000_000, ValueToKeyMappingEstimator.KeyOrdinality keyOrdinality = ValueToKeyMappingEstimator.KeyOrdinality.ByOccurrence,
        bool addKeyValueAnnotationsAsText = false, IDataView? keyData = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumNumberOfKeys, 1);
        return new ValueToKeyMappingEstimator(InputOutputColumnPair.ToTuples(columns)
            .Select(p => new ValueToKeyMappingEstimator.ColumnOptions(p.outputColumnName, p.inputColumnName, maximumNumberOfKeys, keyOrdinality, addKeyValueAnnotationsAsText)).ToArray(), keyData);
    }

    /// <summary>Maps keys back to their values (the input's KeyValues annotation).</summary>
    public static KeyToValueMappingEstimator MapKeyToValue(this TransformsCatalog.ConversionTransforms catalog, string outputColumnName, string? inputColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new KeyToValueMappingEstimator((outputColumnName, inputColumnName ?? outputColumnName));
    }

    /// <summary>Maps the keys of several columns back to their values.</summary>
    public static KeyToValueMappingEstimator MapKeyToValue(this TransformsCatalog.ConversionTransforms catalog, InputOutputColumnPair[] columns)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new KeyToValueMappingEstimator(InputOutputColumnPair.ToTuples(columns));
    }
}
