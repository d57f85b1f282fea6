namespace Vae.MLNet.Acceleration.Encoder;

/// <summary>
/// <see cref="MlpEncoderKernel"/> behind <see cref="IDenseEncoder"/>, made from the network's description the first
/// time a call is served (PredictionEngine's first row, or the first sparse batch), so a transformer whose calls it never
/// serves never copies its weights.
/// </summary>
internal sealed class LazyEncoderKernel(Func<DenseEncoderDescription?> describe) : IDenseEncoder
{
    private readonly Lazy<MlpEncoderKernel?> _kernel = new(() => describe() is { } description ? new MlpEncoderKernel(description) : null);

    public bool Serves(ReadOnlySpan<float> features, int rows) => MlpEncoderKernel.Serves(features, rows) && _kernel.Value is not null;

    public void Encode(float[] features, float[]? conditions, int rows, float[] mean, float[]? logVariance) =>
        (_kernel.Value ?? throw new InvalidOperationException("This network has no dense encoder description.")).Encode(features, conditions, rows, mean, logVariance);
}
