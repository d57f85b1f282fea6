using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Mapping;

/// <summary>
/// Reads up to <see cref="RowsPerBatch"/> input rows (the model's input in one row-major buffer, the
/// pass-through columns in per-column buffers), maps them with one forward pass, then serves them one by one.
/// </summary>
internal sealed class BatchCursor : DataViewRowCursor
{
    /// <summary>Rows per forward pass.</summary>
    internal const int RowsPerBatch = 256;

    private readonly IBatchMapper _mapper;
    private readonly DataViewRowCursor _input;
    private readonly bool[] _active;
    private readonly ColumnBuffer?[] _passThrough;
    private readonly BatchInput? _batch;
    private readonly BatchOutputs _outputs;
    private readonly ValueGetter<DataViewRowId> _inputId;
    private readonly DataViewRowId[] _ids;
    // The input's Batch of each buffered row: the input cursor reads ahead, so its own Batch may be a later row's.
    private readonly long[] _batches;
    private readonly BatchSlot _slot = new();
    private int _count;
    private long _position = -1;
    private bool _done;

    public BatchCursor(IBatchMapper mapper, DataViewRowCursor input, bool[] active)
    {
        _mapper = mapper;
        _input = input;
        _active = active;
        int capacity = RowsPerBatch;
        var added = ActiveColumns.Added(mapper, active);
        _outputs = mapper.CreateOutputs(added, capacity);
        if (added.Contains(true)) _batch = new BatchInput(mapper, input, capacity);
        _passThrough = new ColumnBuffer?[mapper.InputSchema.Count];
        for (int i = 0; i < _passThrough.Length; i++)
            if (active[i]) _passThrough[i] = ColumnBuffer.Create(input, input.Schema[i], capacity);
        _ids = new DataViewRowId[capacity];
        _batches = new long[capacity];
        _inputId = input.GetIdGetter();
    }

    public override DataViewSchema Schema => _mapper.OutputSchema;

    public override long Position => _position;

    public override long Batch => _slot.Index >= 0 && _slot.Index < _count ? _batches[_slot.Index] : _input.Batch;

    public override bool IsColumnActive(DataViewSchema.Column column)
    {
        ActiveColumns.Check(Schema, column);
        return _active[column.Index];
    }

    public override bool MoveNext()
    {
        if (_done) return false;
        if (++_slot.Index >= _count)
        {
            if (!Refill())
            {
                _done = true;
                _position = -1;
                return false;
            }
            _slot.Index = 0;
        }
        _position++;
        return true;
    }

    private bool Refill()
    {
        // Also for a cursor that reads only pass-through columns: a disposed model's view is refused as a whole.
        _mapper.Lifetime.ThrowIfEnded();
        int count = 0;
        if (_batch is not null) _batch.Count = 0;
        while (count < _ids.Length && _input.MoveNext())
        {
            foreach (var buffer in _passThrough) buffer?.Fill(count);
            _batch?.Add();
            _inputId(ref _ids[count]);
            _batches[count] = _input.Batch;
            count++;
        }
        _count = count;
        if (count == 0) return false;
        if (_batch is not null)
        {
            _mapper.Map(_batch, _outputs);
            NonFiniteOutputs.Check(_mapper, _batch, _outputs);
        }
        return true;
    }

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        column = ActiveColumns.Check(Schema, column);
        if (!_active[column.Index]) throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor.");
        ActiveColumns.CheckType<TValue>(column);
        int inputs = _mapper.InputSchema.Count;
        if (column.Index < inputs) return (ValueGetter<TValue>)_passThrough[column.Index]!.MakeGetter(_slot);
        return (ValueGetter<TValue>)OutputGetter(column.Index - inputs, column.Name, column.Type is VectorDataViewType);
    }

    private Delegate OutputGetter(int output, string name, bool vector)
    {
        if (!vector)
            return (ValueGetter<float>)((ref float value) => value = _outputs.Read(output, _slot.Index, name)[0]);
        return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => SetVector(_outputs.Read(output, _slot.Index, name), ref value));
    }

    /// <summary>Writes <paramref name="values"/> into the caller's vector, reusing its buffer.</summary>
    internal static void SetVector(ReadOnlySpan<float> values, ref VBuffer<float> destination)
    {
        var editor = VBufferEditor.Create(ref destination, values.Length);
        values.CopyTo(editor.Values);
        destination = editor.Commit();
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = _ids[_slot.Index];

    protected override void Dispose(bool disposing)
    {
        if (disposing) _input.Dispose();
        base.Dispose(disposing);
    }
}
