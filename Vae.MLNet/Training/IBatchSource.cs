using Vae.MLNet.Backend;
using Vae.MLNet.Networks;
using TorchSharp;

namespace Vae.MLNet.Training;

/// <summary>
/// One mini-batch of rows, row-major, with the rows' conditions for a conditional VAE. The buffers may be reused by
/// the source for the next batch: consume (copy into tensors) before asking for it.
/// </summary>
internal readonly record struct RowBatch(float[] Features, int Rows, int Dimension, float[]? Conditions = null, int ConditionDimension = 0)
{
    /// <summary>The rows' values.</summary>
    public ReadOnlySpan<float> FeatureSpan => Features.AsSpan(0, Rows * Dimension);

    /// <summary>The batch as tensors (in the current dispose scope), on the given device.</summary>
    public Observation ToObservation(torch.Device? device = null) => ToObservation(device, 0, Rows);

    /// <summary>Rows start to start + count − 1 of the batch as tensors, on the given device.</summary>
    public Observation ToObservation(torch.Device? device, int start, int count)
    {
        var x = TensorCopy.FromSpan(Features.AsSpan(start * Dimension, count * Dimension), [count, Dimension]);
        var condition = Conditions is null ? null
            : TensorCopy.FromSpan(Conditions.AsSpan(start * ConditionDimension, count * ConditionDimension), [count, ConditionDimension]);
        if (device is null || device.type == DeviceType.CPU) return new Observation(x, condition);
        return new Observation(x.to(device), condition?.to(device));
    }
}

/// <summary>Streams mini-batches; each call to <see cref="GetBatches"/> is one pass over the data.</summary>
internal interface IBatchSource
{
    /// <summary>One pass in mini-batches of at most batchSize rows, in shuffled order when a seed is given and the source can shuffle.</summary>
    IEnumerable<RowBatch> GetBatches(int batchSize, int? shuffleSeed);
}
