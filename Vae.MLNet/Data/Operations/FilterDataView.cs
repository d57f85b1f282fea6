namespace Vae.MLNet.Data;

/// <summary>
/// The rows of the input for which a predicate holds, filtered lazily as a cursor moves. The predicate is built per
/// cursor from the input cursor (whose required columns are active).
/// </summary>
internal sealed class FilterDataView : IDataView
{
    private readonly IDataView _input;
    private readonly DataViewSchema.Column[] _required;
    private readonly Func<DataViewRowCursor, Func<bool>> _makePredicate;

    public FilterDataView(IDataView input, DataViewSchema.Column[] required, Func<DataViewRowCursor, Func<bool>> makePredicate)
    {
        _input = input;
        _required = required;
        _makePredicate = makePredicate;
    }

    public bool CanShuffle => _input.CanShuffle;

    public DataViewSchema Schema => _input.Schema;

    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        RowChecks.ActiveFlags(Schema, needed);
        var input = _input.GetRowCursor(needed.Concat(_required).Distinct(), rand);
        return new Cursor(input, _makePredicate(input));
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(DataViewRowCursor input, Func<bool> keep) : DataViewRowCursor
    {
        private long _position = -1;

        public override long Position => _position;

        public override long Batch => input.Batch;

        public override DataViewSchema Schema => input.Schema;

        public override bool MoveNext()
        {
            while (input.MoveNext())
            {
                if (keep())
                {
                    _position++;
                    return true;
                }
            }
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
