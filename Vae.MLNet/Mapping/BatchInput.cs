using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Mapping;

/// <summary>
/// Reads the model's input (and condition) column of a row into a row-major batch buffer, one bulk copy per row, with
/// the checks that name the column, row and slot of a bad value.
/// </summary>
internal sealed class BatchInput
{
    private readonly string _columnName;
    private readonly int _dimension;
    private readonly ValueGetter<VBuffer<float>> _features;
    private readonly Action<Span<float>>? _condition;
    private readonly DataViewRow _row;
    private VBuffer<float> _vector;

    public BatchInput(IBatchMapper mapper, DataViewRow row, int capacity)
    {
        _row = row;
        _columnName = mapper.Input.Name;
        _dimension = mapper.InputDimension;
        _features = row.GetGetter<VBuffer<float>>(row.Schema[mapper.Input.Index]);
        if (mapper.Condition is { } condition)
        {
            _condition = mapper.ConditionDescription!.MakeReader(row, row.Schema[condition.Index]);
            Conditions = new float[capacity * mapper.ConditionDescription.Size];
        }
        Features = new float[capacity * _dimension];
        Positions = new long[capacity];
        ConditionSize = mapper.ConditionDescription?.Size ?? 0;
    }

    /// <summary>The batch's inputs, rows × input dimension.</summary>
    public float[] Features { get; }

    /// <summary>The batch's conditions, rows × condition size (null for an unconditional VAE).</summary>
    public float[]? Conditions { get; }

    /// <summary>Each buffered row's position in the input, for messages.</summary>
    public long[] Positions { get; }

    public int ConditionSize { get; }

    /// <summary>Rows read so far into the batch.</summary>
    public int Count { get; set; }

    /// <summary>Appends the source row's current values to the batch.</summary>
    /// <exception cref="InvalidOperationException">The vector does not have the fitted size.</exception>
    public void Add()
    {
        int row = Count;
        _features(ref _vector);
        if (_vector.Length != _dimension)
            throw new InvalidOperationException($"Column '{_columnName}' has {_vector.Length} values in row {_row.Position}; the model was fitted on {_dimension}.");
        _vector.CopyTo(Features.AsSpan(row * _dimension, _dimension));
        _condition?.Invoke(Conditions.AsSpan(row * ConditionSize, ConditionSize));
        Positions[row] = _row.Position;
        Count = row + 1;
    }
}
