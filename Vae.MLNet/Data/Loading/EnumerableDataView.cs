namespace Vae.MLNet.Data;

/// <summary>
/// A view over an <see cref="IEnumerable{T}"/> of objects; nothing is enumerated until a cursor moves. Lists can be
/// visited in random order; the row id is the object's index in the sequence.
/// </summary>
internal sealed class EnumerableDataView<TRow> : IDataView
    where TRow : class
{
    private readonly IEnumerable<TRow> _data;
    private readonly SchemaDefinition _definition;

    public EnumerableDataView(IEnumerable<TRow> data, SchemaDefinition definition)
    {
        _data = data;
        _definition = definition;
        Schema = ObjectGetters<TRow>.MakeSchema(definition);
    }

    public bool CanShuffle => _data is IList<TRow> or IReadOnlyList<TRow>;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _data switch
    {
        ICollection<TRow> c => c.Count,
        IReadOnlyCollection<TRow> c => c.Count,
        _ => null,
    };

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = RowChecks.ActiveFlags(Schema, columnsNeeded);
        IEnumerable<(TRow Item, long Index)> rows;
        if (rand != null && CanShuffle)
        {
            var list = _data as IReadOnlyList<TRow> ?? new ListAdapter((IList<TRow>)_data);
            var order = Enumerable.Range(0, list.Count).ToArray();
            rand.Shuffle(order);
            rows = order.Select(i => (list[i], (long)i));
        }
        else
        {
            rows = _data.Select((item, i) => (item, (long)i));
        }
        return new Cursor(this, active, rows.GetEnumerator());
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class ListAdapter(IList<TRow> list) : IReadOnlyList<TRow>
    {
        public TRow this[int index] => list[index];

        public int Count => list.Count;

        public IEnumerator<TRow> GetEnumerator() => list.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private sealed class Cursor : GetterCursor
    {
        private readonly IEnumerator<(TRow Item, long Index)> _rows;
        private readonly CurrentObject<TRow> _current = new();
        private long _index = -1;
        private bool _done;

        public Cursor(EnumerableDataView<TRow> parent, bool[] active, IEnumerator<(TRow, long)> rows)
            : base(parent.Schema, active)
        {
            _rows = rows;
            ObjectGetters<TRow>.Fill(Getters, parent._definition, parent.Schema, active, _current);
        }

        public override long Position => _current.Position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (!_done && _rows.MoveNext())
            {
                (_current.Value, _index) = _rows.Current;
                _current.Position++;
                return true;
            }
            _done = true;
            _current.Value = null;
            _current.Position = -1;
            return false;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_index, 0);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _rows.Dispose();
        }
    }
}
