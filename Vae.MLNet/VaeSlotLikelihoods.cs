using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet;

/// <summary>Builds <see cref="VaeOptions.SlotLikelihoods"/> from what a pipeline's schema already records.</summary>
public static class VaeSlotLikelihoods
{
    /// <summary>
    /// The categorical groups of one-hot columns inside a concatenated input vector, found by its slot names: ML.NET's
    /// <c>OneHotEncoding</c> names each indicator slot by its key value, and <c>Concatenate</c> names it
    /// "Column.Value", so the slots of column c are the run of slots named "c.…", as long as c's own vector.
    /// </summary>
    /// <param name="schema">The schema of the data VaeEncode will see (e.g. <c>pipeline.Fit(data).Transform(data).Schema</c> up to Concatenate).</param>
    /// <param name="inputColumnName">The concatenated vector column.</param>
    /// <param name="oneHotColumnNames">The OneHotEncoding output columns (each encoding one scalar key), concatenated into it.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing, the input has no slot names, or a one-hot column's slots are not one contiguous run of its size in the input.</exception>
    public static VaeSlotLikelihood[] FromOneHotColumns(DataViewSchema schema, string inputColumnName, params string[] oneHotColumnNames)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(oneHotColumnNames);
        var input = schema.GetColumnOrNull(inputColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(inputColumnName), $"Could not find input column '{inputColumnName}'.");
        if (input.Type is not VectorDataViewType { Size: > 0 } vector || !input.HasSlotNames(vector.Size))
            throw new ArgumentOutOfRangeException(nameof(inputColumnName), $"Column '{inputColumnName}' is not a vector of known size with slot names (Concatenate writes them), got {input.Type}.");
        var buffer = default(VBuffer<ReadOnlyMemory<char>>);
        input.GetSlotNames(ref buffer);
        var names = buffer.DenseValues().Select(n => n.ToString()).ToArray();
        var ranges = new List<VaeSlotLikelihood>();
        foreach (string column in oneHotColumnNames)
        {
            var oneHot = schema.GetColumnOrNull(column)
                ?? throw new ArgumentOutOfRangeException(nameof(oneHotColumnNames), $"Could not find one-hot column '{column}'.");
            if (oneHot.Type is not VectorDataViewType { Size: >= 2 } encoded)
                throw new ArgumentOutOfRangeException(nameof(oneHotColumnNames), $"One-hot column '{column}' should be a vector of at least 2 indicator slots (OneHotEncoding of a scalar key), got {oneHot.Type}.");
            string prefix = column + ".";
            int[] slots = Enumerable.Range(0, names.Length).Where(i => names[i].StartsWith(prefix, StringComparison.Ordinal)).ToArray();
            if (slots.Length != encoded.Size || slots[^1] - slots[0] + 1 != slots.Length)
                throw new ArgumentOutOfRangeException(nameof(oneHotColumnNames),
                    $"Column '{inputColumnName}' should hold the {encoded.Size} slots of one-hot column '{column}' in one run named \"{prefix}…\"; found {slots.Length} such slots" +
                    (slots.Length > 0 ? $" between slots {slots[0]} and {slots[^1]}." : "."));
            ranges.Add(new VaeSlotLikelihood(slots[0], slots.Length, VaeSlotKind.Categorical));
        }
        return [.. ranges];
    }
}
