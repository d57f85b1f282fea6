namespace Vae.MLNet.Data;

/// <summary>A row that passes input columns through and serves added columns from getters over the input row.</summary>
internal sealed class MappedRow : DataViewRow
{
    private readonly DataViewRow _input;
    private readonly DataViewSchema _schema;
    private readonly bool[] _active;
    private readonly Delegate?[] _added;

    public MappedRow(DataViewRow input, DataViewSchema schema, bool[] active, Delegate?[] added)
    {
        _input = input;
        _schema = schema;
        _active = active;
        _added = added;
    }

    public override long Position => _input.Position;

    public override long Batch => _input.Batch;

    public override DataViewSchema Schema => _schema;

    public override bool IsColumnActive(DataViewSchema.Column column)
    {
        RowChecks.CheckColumn(_schema, column);
        return _active[column.Index];
    }

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        RowChecks.CheckColumn(_schema, column);
        return RowChecks.InputOrAdded<TValue>(_input, _active, _added, column);
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();
}

/// <summary>A cursor made of an input cursor and a row that follows it.</summary>
internal sealed class FollowingCursor : DataViewRowCursor
{
    private readonly DataViewRowCursor _input;
    private readonly DataViewRow _row;

    public FollowingCursor(DataViewRowCursor input, DataViewRow row)
    {
        _input = input;
        _row = row;
    }

    public override long Position => _input.Position;

    public override long Batch => _input.Batch;

    public override DataViewSchema Schema => _row.Schema;

    public override bool MoveNext() => _input.MoveNext();

    public override bool IsColumnActive(DataViewSchema.Column column) => _row.IsColumnActive(column);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _row.GetGetter<TValue>(column);

    public override ValueGetter<DataViewRowId> GetIdGetter() => _row.GetIdGetter();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _row.Dispose();
            _input.Dispose();
        }
    }
}
