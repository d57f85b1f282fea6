namespace Vae.MLNet.Data;

/// <summary>Rows <c>[skip, skip + take)</c> of the input, read lazily (TakeRows and SkipRows).</summary>
internal sealed class RowRangeDataView : IDataView
{
    private readonly IDataView _input;
    private readonly long _skip;
    private readonly long _take;

    public RowRangeDataView(IDataView input, long skip, long take)
    {
        _input = input;
        _skip = skip;
        _take = take;
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema => _input.Schema;

    public long? GetRowCount() =>
        _input.GetRowCount() is long n ? Math.Max(0, Math.Min(n - _skip, _take)) : null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(_input.GetRowCursor(columnsNeeded), _skip, _take);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(DataViewRowCursor input, long skip, long take) : DataViewRowCursor
    {
        private long _position = -1;
        private bool _done;

        public override long Position => _position;

        public override long Batch => input.Batch;

        public override DataViewSchema Schema => input.Schema;

        public override bool MoveNext()
        {
            if (!_done && _position == -1)
            {
                for (long i = 0; i < skip; i++)
                {
                    if (!input.MoveNext())
                        return Finish();
                }
            }
            if (_done || _position + 1 >= take || !input.MoveNext())
                return Finish();
            _position++;
            return true;
        }

        private bool Finish()
        {
            _done = true;
            _position = -1;
            return false;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => input.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => input.GetGetter<TValue>(column);

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                input.Dispose();
        }
    }
}
