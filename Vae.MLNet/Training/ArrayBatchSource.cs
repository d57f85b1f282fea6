namespace Vae.MLNet.Training;

/// <summary>Batches over rows already in memory (used for held-out validation rows and by tests).</summary>
internal sealed class ArrayBatchSource : IBatchSource
{
    private readonly IReadOnlyList<float[]> _rows;
    private readonly IReadOnlyList<float[]>? _conditions;

    public ArrayBatchSource(IReadOnlyList<float[]> rows, IReadOnlyList<float[]>? conditions = null)
    {
        if (rows.Count == 0) throw new ArgumentException("No rows.", nameof(rows));
        _rows = rows;
        _conditions = conditions;
    }

    public IEnumerable<RowBatch> GetBatches(int batchSize, int? shuffleSeed)
    {
        int dimension = _rows[0].Length;
        int conditionDimension = _conditions?[0].Length ?? 0;
        int[] order = Enumerable.Range(0, _rows.Count).ToArray();
        if (shuffleSeed is int seed) new Random(seed).Shuffle(order);
        var features = new float[Math.Min(batchSize, _rows.Count) * dimension];
        var conditions = _conditions is null ? null : new float[Math.Min(batchSize, _rows.Count) * conditionDimension];
        for (int start = 0; start < order.Length; start += batchSize)
        {
            int rows = Math.Min(batchSize, order.Length - start);
            for (int i = 0; i < rows; i++)
            {
                _rows[order[start + i]].CopyTo(features, i * dimension);
                _conditions?[order[start + i]].CopyTo(conditions!, i * conditionDimension);
            }
            yield return new RowBatch(features, rows, dimension, conditions, conditionDimension);
        }
    }
}
