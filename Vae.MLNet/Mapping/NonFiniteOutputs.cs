using System.Globalization;
using System.Numerics.Tensors;

namespace Vae.MLNet.Mapping;

/// <summary>
/// The rule that no added column holds NaN or ±∞ for finite input, nor a value whose square overflows float32 (the
/// VAE's KL term, squared reconstruction errors and any distance or variance downstream square the outputs, so such a
/// value turns into ∞ at the next step). After a batch is mapped, each row of every computed output is checked by its
/// sum of squares (vectorized: one pass over the outputs, and NaN or ±∞ anywhere make it non-finite too); a row that
/// fails is refused: reading any added column of it throws an <see cref="InvalidOperationException"/> that names the
/// input column, the row, the output and the input slot of largest magnitude. The batch's other rows read as usual.
/// Such a row is finite input far outside what the model was trained on (1e20 where training saw values near 1).
/// </summary>
internal static class NonFiniteOutputs
{
    /// <summary>Marks the rows of <paramref name="input"/> whose active outputs are not all finite and squarable.</summary>
    public static void Check(IBatchMapper mapper, BatchInput input, BatchOutputs outputs)
    {
        int rows = input.Count;
        outputs.Refusals.AsSpan(0, Math.Min(rows, outputs.Refusals.Length)).Clear();
        int added = mapper.InputSchema.Count;
        for (int output = 0; output < outputs.Active.Length; output++)
        {
            if (!outputs.Active[output] || outputs.Values[output] is null) continue;
            for (int row = 0; row < rows; row++)
            {
                var values = outputs.Row(output, row);
                if (outputs.Refusals[row] is not null || Squarable(values)) continue;
                outputs.Refusals[row] = Describe(mapper, input, row, $"'{mapper.OutputSchema[added + output].Name}'", values[LargestMagnitude(values)]);
            }
        }
    }

    /// <summary>Whether the values' sum of squares is finite in float32 (so every value is finite and at most about 1.8e19 in magnitude).</summary>
    public static bool Squarable(ReadOnlySpan<float> values) => float.IsFinite(TensorPrimitives.SumOfSquares(values));

    /// <summary>
    /// The refusal of a row of input <paramref name="features"/> (one row) whose <paramref name="output"/> (a quoted
    /// column name, or a description) is <paramref name="value"/>.
    /// </summary>
    internal static string Describe(string inputColumn, long position, ReadOnlySpan<float> features, string output, float value)
    {
        int slot = LargestMagnitude(features);
        return $"Column '{inputColumn}' in row {position} gives {Format(value)} in {output}, which must be finite and small enough to square in float32: " +
            $"slot {slot} holds {Format(features[slot])}, " +
            "the row's largest value in magnitude, far outside what the model was trained on, and the network overflows on it. Normalize the input as in " +
            "training (the same normalizing transformer, fitted on the training data), so its values are on the scale the model saw, or filter such rows out.";
    }

    private static string Describe(IBatchMapper mapper, BatchInput input, int row, string output, float value) =>
        Describe(mapper.Input.Name, input.Positions[row], input.Features.AsSpan(row * mapper.InputDimension, mapper.InputDimension), output, value);

    /// <summary>The index of the value of largest magnitude (NaN first, as the worst).</summary>
    internal static int LargestMagnitude(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (float.IsNaN(values[i])) return i;
            if (Math.Abs(values[i]) > Math.Abs(values[best])) best = i;
        }
        return best;
    }

    private static string Format(float value) => value.ToString(CultureInfo.InvariantCulture);
}
