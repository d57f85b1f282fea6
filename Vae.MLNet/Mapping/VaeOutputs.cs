namespace Vae.MLNet.Mapping;

/// <summary>The VAE's added columns, in the order of its output schema: latent means and log-variances, reconstructions, anomaly scores.</summary>
internal static class VaeOutputs
{
    public const int Mean = 0, LogVariance = 1, Reconstruction = 2, AnomalyScore = 3, Count = 4;

    /// <summary>
    /// Buffers for the requested outputs (<paramref name="requested"/> may stop before the anomaly score). μ and log σ²
    /// have buffers whenever the outputs computed from them are active: the kernel writes them there.
    /// </summary>
    public static BatchOutputs Create(bool[] requested, int capacity, int latent, int input)
    {
        var active = new bool[Count];
        requested.AsSpan(0, Math.Min(requested.Length, Count)).CopyTo(active);
        bool anyActive = active.Contains(true), scored = active[AnomalyScore];
        return new BatchOutputs(active, [anyActive, scored, false, false], capacity, [latent, latent, input, 1]);
    }
}
