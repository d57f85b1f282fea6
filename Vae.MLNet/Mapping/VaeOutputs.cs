namespace Vae.MLNet.Mapping;

/// <summary>
/// The added columns' values for a batch of rows, row-major per column: latent means and log-variances
/// (rows × latent), reconstructions (rows × input) and anomaly scores (rows). Only the requested ones are computed.
/// </summary>
internal sealed class VaeOutputs
{
    public const int Mean = 0, LogVariance = 1, Reconstruction = 2, AnomalyScore = 3, Count = 4;

    public VaeOutputs(bool[] active, int capacity, int latent, int input)
    {
        Active = active;
        Widths = [latent, latent, input, 1];
        Values = new float[Widths.Length][];
        // μ and log σ² have buffers whenever the outputs computed from them are active: the kernel writes them there.
        bool anyActive = active.Contains(true), scored = active[AnomalyScore];
        for (int i = 0; i < active.Length; i++)
            if (active[i] || (i == Mean && anyActive) || (i == LogVariance && scored)) Values[i] = new float[capacity * Widths[i]];
    }

    /// <summary>Which outputs are wanted (indexed by the constants above).</summary>
    public bool[] Active { get; }

    /// <summary>Values per row of each output.</summary>
    public int[] Widths { get; }

    /// <summary>The buffers of the active outputs (null for the others).</summary>
    public float[]?[] Values { get; }

    /// <summary>Row <paramref name="row"/>'s values of output <paramref name="output"/>.</summary>
    public ReadOnlySpan<float> Row(int output, int row) => Row(output, row, 1);

    /// <summary><paramref name="count"/> rows' values of output <paramref name="output"/>, from row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> Row(int output, int row, int count) => Values[output].AsSpan(row * Widths[output], count * Widths[output]);
}
