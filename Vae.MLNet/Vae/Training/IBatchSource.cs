namespace Vae.MLNet.Training;

/// <summary>
/// One mini-batch of rows, row-major. The buffers may be reused by the source for the next batch: consume
/// (copy into a tensor) before asking for it.
/// </summary>
internal readonly record struct RowBatch(float[] Features, int Rows, int Dimension, float[]? Conditions = null, int ConditionDimension = 0);

/// <summary>Streams mini-batches; each call to <see cref="GetBatches"/> is one pass over the data.</summary>
internal interface IBatchSource
{
    /// <summary>One pass in mini-batches of at most batchSize rows, in shuffled order when a seed is given and the source can shuffle.</summary>
    IEnumerable<RowBatch> GetBatches(int batchSize, int? shuffleSeed);
}
