namespace Vae.MLNet.Data;

/// <summary>
/// The cursor of a <see cref="BatchedRowMapper"/>: reads up to a batch of input rows into buffers (every active or
/// needed input column), maps them with one call, then serves the buffered rows one at a time.
/// </summary>
internal sealed class BatchingCursor : GetterCursor
{
    private readonly BatchedRowMapper _mapper;
    private readonly DataViewRowCursor _input;
    private readonly RowBatch _inputs;
    private readonly RowBatch _outputs;
    private readonly ColumnBuffer[] _toFill;
    private readonly ValueGetter<DataViewRowId> _inputId;
    private readonly DataViewRowId[] _ids;
    private readonly SlotIndex _slot = new() { Value = -1 };
    private readonly bool _anyAdded;
    private int _count;
    private long _position = -1;
    private bool _done;

    public BatchingCursor(BatchedRowMapper mapper, DataViewRowCursor input, bool[] active)
        : base(mapper.OutputSchema, active)
    {
        _mapper = mapper;
        _input = input;
        int n = mapper.InputSchema.Count;
        var addedActive = mapper.AddedActive(active);
        _anyAdded = addedActive.Contains(true);
        var inputActive = mapper.InputActive(active);
        _inputs = new RowBatch(mapper.InputSchema, inputActive, mapper.BatchSize);
        _outputs = new RowBatch(mapper.AddedSchema, addedActive, mapper.BatchSize);
        _ids = new DataViewRowId[mapper.BatchSize];
        _inputId = input.GetIdGetter();

        var toFill = new List<ColumnBuffer>();
        for (int i = 0; i < n; i++)
        {
            if (_inputs.Buffer(i) is not { } buffer)
                continue;
            buffer.Bind(input, input.Schema[i]);
            toFill.Add(buffer);
            if (active[i])
                Getters[i] = buffer.MakeGetter(_slot);
        }
        for (int j = 0; j < addedActive.Length; j++)
        {
            if (addedActive[j])
                Getters[n + j] = _outputs.Buffer(j)!.MakeGetter(_slot);
        }
        _toFill = toFill.ToArray();
    }

    public override long Position => _position;

    public override long Batch => _input.Batch;

    public override bool MoveNext()
    {
        if (_done)
            return false;
        if (++_slot.Value >= _count)
        {
            if (!Refill())
            {
                _done = true;
                _position = -1;
                return false;
            }
            _slot.Value = 0;
        }
        _position++;
        return true;
    }

    private bool Refill()
    {
        int count = 0;
        while (count < _ids.Length && _input.MoveNext())
        {
            foreach (var buffer in _toFill)
                buffer.Fill(count);
            _inputId(ref _ids[count]);
            count++;
        }
        if (count == 0)
            return false;
        _count = count;
        _inputs.Count = _outputs.Count = count;
        if (_anyAdded)
            _mapper.Map(_inputs, _outputs);
        return true;
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = _ids[_slot.Value];

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _input.Dispose();
    }
}
