using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Columns;
using Vae.MLNet.Networks.Likelihoods;

namespace Vae.MLNet.Training;

/// <summary>Which rows of a view a source yields, by a deterministic hash of each row's id.</summary>
internal enum RowSubset { All, Training, Validation }

/// <summary>
/// Streams mini-batches of a vector column straight from an IDataView cursor, so the data never has to fit in memory.
/// Every value is checked on the way (finite; within [0, 1] for Bernoulli) and a bad one is reported with its column,
/// row and slot. A validation split is carved out by hashing row ids, so it is the same rows on every pass.
/// </summary>
internal sealed class DataViewBatchSource : IBatchSource
{
    private readonly IDataView _data;
    private readonly DataViewSchema.Column _column;
    private readonly int _dimension;
    private readonly bool _unitInterval;
    private readonly RowSubset _subset;
    private readonly double _validationFraction;
    private readonly ulong _splitSeed;
    private readonly ConditionColumn? _condition;
    private readonly IDataView _unshuffled;
    private readonly ObservationModel? _observation;

    /// <summary>The rows the batch buffers first hold; they double from there up to the batch size.</summary>
    private const int InitialRows = 1024;

    // data: the rows to read, perhaps a pool-shuffled view of unshuffled; unshuffled: the view in the order the caller
    // knows, whose row numbers errors give (default: data).
    public DataViewBatchSource(IDataView data, DataViewSchema.Column column, int dimension, bool unitInterval, ConditionColumn? condition = null,
        RowSubset subset = RowSubset.All, double validationFraction = 0, int splitSeed = 0, IDataView? unshuffled = null, ObservationModel? observation = null)
    {
        _observation = observation;
        _data = data;
        _unshuffled = unshuffled ?? data;
        _column = column;
        _condition = condition;
        _dimension = dimension;
        _unitInterval = unitInterval;
        _subset = subset;
        _validationFraction = validationFraction;
        _splitSeed = (ulong)splitSeed;
    }

    /// <summary>
    /// The fewest rows a batch may have (1, or 2 for a network with batch norm, whose running variance in training
    /// mode becomes NaN on a batch of one row). A last batch smaller than this is folded into the batch before it, so
    /// every row still trains; only a pass with fewer rows in all yields a smaller batch.
    /// </summary>
    public int MinimumBatchRows { get; init; } = 1;

    public IEnumerable<RowBatch> GetBatches(int batchSize, int? shuffleSeed)
    {
        var random = shuffleSeed is int seed && _data.CanShuffle ? new Random(seed) : null;
        var conditionColumn = _condition?.Find(_data.Schema);
        using var cursor = _data.GetRowCursor(conditionColumn is { } c ? [_column, c] : [_column], random);
        var getter = cursor.GetGetter<VBuffer<float>>(_column);
        var readCondition = conditionColumn is { } column ? _condition!.MakeReader(cursor, column) : null;
        int conditionSize = _condition?.Size ?? 0;
        // With a minimum batch, a full batch is handed out only once the rows after it are known to make a batch of
        // their own; until then they wait in the same buffer, after it.
        int lookahead = MinimumBatchRows > 1 ? MinimumBatchRows : 0;
        int fullCapacity = batchSize + lookahead;
        // The buffers grow with the rows read, up to a batch: a BatchSize larger than the data allocates for the data.
        int capacity = Math.Min(fullCapacity, InitialRows);
        var conditions = _condition is null ? null : new float[capacity * conditionSize];
        var idGetter = _subset == RowSubset.All ? null : cursor.GetIdGetter();
        var features = new float[capacity * _dimension];
        var row = default(VBuffer<float>);
        var id = default(DataViewRowId);
        int rows = 0;
        while (cursor.MoveNext())
        {
            if (idGetter is not null)
            {
                idGetter(ref id);
                if (InValidation(id) != (_subset == RowSubset.Validation)) continue;
            }
            getter(ref row);
            if (rows == capacity)
            {
                capacity = (int)Math.Min(fullCapacity, 2L * capacity);
                Array.Resize(ref features, capacity * _dimension);
                if (conditions is not null) Array.Resize(ref conditions, capacity * conditionSize);
            }
            var destination = features.AsSpan(rows * _dimension, _dimension);
            try
            {
                if (row.Length != _dimension)
                    throw new InvalidOperationException($"Column '{_column.Name}' has {row.Length} values in row {cursor.Position}; expected {_dimension}.");
                row.CopyTo(destination);
                CheckValues(destination, cursor.Position);
                readCondition?.Invoke(conditions.AsSpan(rows * conditionSize, conditionSize));
            }
            catch (InvalidOperationException e) when (random is not null || _unshuffled != _data)
            {
                throw Located(e);
            }
            if (++rows == fullCapacity)
            {
                yield return new RowBatch(features, batchSize, _dimension, conditions, conditionSize);
                // The batch was consumed: the rows read after it move to the front.
                Array.Copy(features, batchSize * _dimension, features, 0, lookahead * _dimension);
                if (conditions is not null) Array.Copy(conditions, batchSize * conditionSize, conditions, 0, lookahead * conditionSize);
                rows = lookahead;
            }
        }
        // Fewer than fullCapacity rows: one batch, at most batchSize + lookahead − 1 rows (the last small group folded in).
        if (rows > 0) yield return new RowBatch(features, rows, _dimension, conditions, conditionSize);
    }

    /// <summary>
    /// The sizes of the training and validation splits, from a pass over the row ids alone (no column is read). Cheap
    /// for the views that know their row count (in memory, cached, binary), for which it is called.
    /// </summary>
    public (long Training, long Validation) CountSplit()
    {
        using var cursor = _unshuffled.GetRowCursor([]);
        var idGetter = cursor.GetIdGetter();
        var id = default(DataViewRowId);
        long training = 0, validation = 0;
        while (cursor.MoveNext())
        {
            idGetter(ref id);
            if (InValidation(id)) validation++;
            else training++;
        }
        return (training, validation);
    }

    /// <summary>
    /// A shuffled cursor's Position counts rows in this epoch's order, not the view's: the error of a pass over the
    /// unshuffled view (which finds the first bad row and names it as the caller numbers it), or <paramref name="shuffled"/>
    /// if none. Only on the way to an error, so its cost does not matter.
    /// </summary>
    private InvalidOperationException Located(InvalidOperationException shuffled)
    {
        try
        {
            var unshuffled = new DataViewBatchSource(_unshuffled, _unshuffled.Schema[_column.Name], _dimension, _unitInterval, _condition, _subset, _validationFraction, (int)_splitSeed, observation: _observation);
            foreach (var _ in unshuffled.GetBatches(1, shuffleSeed: null)) { }
        }
        catch (InvalidOperationException e)
        {
            return e;
        }
        return shuffled;
    }

    private void CheckValues(ReadOnlySpan<float> values, long position)
    {
        if (_observation is not null)
        {
            // Per-slot likelihoods and missing values: the model knows what each slot may hold.
            if (_observation.FindProblem(values) is var (at, problem))
                throw new InvalidOperationException($"Column '{_column.Name}' holds {values[at]} in row {position}, slot {at}; {problem}.");
            return;
        }
        // A vectorized scan finds whether anything is wrong; only then does the slow loop find what and where.
        if (InputRange.AllWithin(values, _unitInterval ? 0 : float.MinValue, _unitInterval ? 1 : float.MaxValue)) return;
        for (int slot = 0; slot < values.Length; slot++)
        {
            float v = values[slot];
            if (!float.IsFinite(v))
                throw new InvalidOperationException(
                    $"Column '{_column.Name}' holds {v} in row {position}, slot {slot}; finite values are needed (ReplaceMissingValues can fill NaN).");
            if (_unitInterval && v is < 0 or > 1)
                throw new InvalidOperationException($"Column '{_column.Name}' holds {v} in row {position}, slot {slot}; {BernoulliRange.Problem(_column, v)}.");
        }
    }

    // SplitMix64 of the row id: stable across processes and passes (unlike string.GetHashCode or HashCode).
    private bool InValidation(DataViewRowId id)
    {
        ulong z = id.Low ^ (id.High * 0x9E3779B97F4A7C15UL) ^ (_splitSeed * 0xBF58476D1CE4E5B9UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53)) < _validationFraction;
    }
}
