namespace Vae.MLNet.Data;

/// <summary>
/// Single-row mapping with a <see cref="BatchedRowMapper"/>: a batch of one row, recomputed when the input row's
/// <see cref="DataViewRow.Position"/> changes. Input columns pass straight through.
/// </summary>
internal sealed class BatchedRow : DataViewRow
{
    private readonly BatchedRowMapper _mapper;
    private readonly DataViewRow _input;
    private readonly bool[] _active;
    private readonly RowBatch _inputs;
    private readonly RowBatch _outputs;
    private readonly ColumnBuffer[] _toFill;
    private readonly Delegate?[] _added;
    private long _mappedPosition = long.MinValue;

    public BatchedRow(BatchedRowMapper mapper, DataViewRow input, bool[] active)
    {
        _mapper = mapper;
        _input = input;
        _active = active;
        var addedActive = mapper.AddedActive(active);
        var needed = new bool[mapper.InputSchema.Count];
        if (addedActive.Contains(true))
        {
            foreach (var c in mapper.InputColumns)
                needed[c.Index] = true;
        }
        _inputs = new RowBatch(mapper.InputSchema, needed, 1);
        _outputs = new RowBatch(mapper.AddedSchema, addedActive, 1);
        var toFill = new List<ColumnBuffer>();
        for (int i = 0; i < needed.Length; i++)
        {
            if (_inputs.Buffer(i) is { } buffer)
            {
                buffer.Bind(input, input.Schema[i]);
                toFill.Add(buffer);
            }
        }
        _toFill = toFill.ToArray();
        var slot = new SlotIndex();
        _added = new Delegate?[addedActive.Length];
        for (int j = 0; j < _added.Length; j++)
        {
            if (addedActive[j])
            {
                var served = _outputs.Buffer(j)!.MakeGetter(slot);
                _added[j] = Generic.Invoke<Delegate>(new Func<Delegate, Delegate>(EnsureThen<int>), mapper.AddedColumns[j].Type.RawType, served);
            }
        }
    }

    private Delegate EnsureThen<T>(Delegate served)
    {
        var getter = (ValueGetter<T>)served;
        return (ValueGetter<T>)((ref T value) =>
        {
            EnsureMapped();
            getter(ref value);
        });
    }

    private void EnsureMapped()
    {
        long position = _input.Position;
        if (position == _mappedPosition)
            return;
        foreach (var buffer in _toFill)
            buffer.Fill(0);
        _inputs.Count = _outputs.Count = 1;
        _mapper.Map(_inputs, _outputs);
        _mappedPosition = position;
    }

    public override long Position => _input.Position;

    public override long Batch => _input.Batch;

    public override DataViewSchema Schema => _mapper.OutputSchema;

    public override bool IsColumnActive(DataViewSchema.Column column)
    {
        RowChecks.CheckColumn(Schema, column);
        return _active[column.Index];
    }

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        RowChecks.CheckColumn(Schema, column);
        return RowChecks.InputOrAdded<TValue>(_input, _active, _added, column);
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();
}
