namespace Vae.MLNet.Mapping;

/// <summary>
/// The added columns' values for a batch of rows, row-major per column (rows × width). Only the requested ones (and
/// those they are computed from) have buffers.
/// </summary>
internal sealed class BatchOutputs
{
    /// <param name="active">Which outputs are wanted.</param>
    /// <param name="buffered">Which outputs get a buffer: the active ones and any a mapper writes on the way to them.</param>
    /// <param name="capacity">Rows per batch.</param>
    /// <param name="widths">Values per row of each output.</param>
    public BatchOutputs(bool[] active, bool[] buffered, int capacity, int[] widths)
    {
        Active = active;
        Widths = widths;
        Values = new float[widths.Length][];
        Refusals = new string?[capacity];
        for (int i = 0; i < widths.Length; i++)
            if (active[i] || buffered[i]) Values[i] = new float[capacity * widths[i]];
    }

    /// <summary>Which outputs are wanted.</summary>
    public bool[] Active { get; }

    /// <summary>Values per row of each output.</summary>
    public int[] Widths { get; }

    /// <summary>The buffers of the buffered outputs (null for the others).</summary>
    public float[]?[] Values { get; }

    /// <summary>
    /// Why each row of the batch is refused (see <see cref="NonFiniteOutputs"/>), or null for a row whose outputs are
    /// all finite.
    /// </summary>
    public string?[] Refusals { get; }

    /// <summary>Row <paramref name="row"/>'s values of output <paramref name="output"/>, read as column <paramref name="column"/>.</summary>
    /// <exception cref="InvalidOperationException">The row is refused: an output of it is not finite.</exception>
    public ReadOnlySpan<float> Read(int output, int row, string column) =>
        Refusals[row] is { } refusal ? throw new InvalidOperationException($"Reading '{column}': {refusal}") : Row(output, row);

    /// <summary>Row <paramref name="row"/>'s values of output <paramref name="output"/>.</summary>
    public ReadOnlySpan<float> Row(int output, int row) => Row(output, row, 1);

    /// <summary><paramref name="count"/> rows' values of output <paramref name="output"/>, from row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> Row(int output, int row, int count) => Values[output].AsSpan(row * Widths[output], count * Widths[output]);
}
