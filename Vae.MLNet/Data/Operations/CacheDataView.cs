namespace Vae.MLNet.Data;

/// <summary>
/// Keeps the values of the columns cursors ask for in memory. A column is read from the input the first time a
/// cursor needs it (one pass, together with the prefetch columns); later cursors, including shuffled ones, are
/// served from memory.
/// </summary>
internal sealed class CacheDataView : IDataView
{
    private readonly IDataView _input;
    private readonly int[] _prefetch;
    private readonly ColumnBuffer?[] _columns;
    private readonly object _lock = new();
    private DataViewRowId[] _ids = [];
    private int _rowCount = -1;

    public CacheDataView(IDataView input, int[] prefetch)
    {
        _input = input;
        _prefetch = prefetch;
        _columns = new ColumnBuffer?[input.Schema.Count];
    }

    public bool CanShuffle => true;

    public DataViewSchema Schema => _input.Schema;

    public long? GetRowCount() => _rowCount >= 0 ? _rowCount : _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = RowChecks.ActiveFlags(Schema, columnsNeeded);
        EnsureCached(active);
        int[]? order = null;
        if (rand != null)
        {
            order = Enumerable.Range(0, _rowCount).ToArray();
            rand.Shuffle(order);
        }
        return new CacheCursor(this, active, order);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private void EnsureCached(bool[] active)
    {
        lock (_lock)
        {
            var missing = new bool[active.Length];
            bool any = _rowCount < 0;
            for (int i = 0; i < active.Length; i++)
            {
                missing[i] = active[i] && _columns[i] == null;
                any |= missing[i];
            }
            if (!any)
                return;
            foreach (int i in _prefetch)
                missing[i] |= _columns[i] == null;

            var buffers = new ColumnBuffer?[missing.Length];
            using var cursor = _input.GetRowCursor(RowChecks.Columns(Schema, missing));
            for (int i = 0; i < missing.Length; i++)
            {
                if (missing[i])
                {
                    buffers[i] = ColumnBuffer.Create(Schema[i].Type, 64);
                    buffers[i]!.Bind(cursor, cursor.Schema[i]);
                }
            }
            var idGetter = cursor.GetIdGetter();
            var ids = _rowCount < 0 ? new DataViewRowId[64] : null;
            int count = 0;
            while (cursor.MoveNext())
            {
                if (count == int.MaxValue - 64)
                    throw new InvalidOperationException("Cache holds at most about 2^31 rows.");
                foreach (var b in buffers)
                {
                    if (b == null)
                        continue;
                    if (count == b.Capacity)
                        b.Grow(count * 2);
                    b.Fill(count);
                }
                if (ids != null)
                {
                    if (count == ids.Length)
                        Array.Resize(ref ids, count * 2);
                    idGetter(ref ids[count]);
                }
                count++;
            }
            if (_rowCount >= 0 && count != _rowCount)
                throw new InvalidOperationException($"The cached data changed: a new pass read {count} rows, the first read {_rowCount}.");
            if (ids != null)
                _ids = ids;
            for (int i = 0; i < buffers.Length; i++)
                _columns[i] ??= buffers[i];
            _rowCount = count;
        }
    }

    private sealed class CacheCursor : GetterCursor
    {
        private readonly CacheDataView _parent;
        private readonly int[]? _order;
        private readonly SlotIndex _slot = new() { Value = -1 };
        private long _position = -1;
        private bool _done;

        public CacheCursor(CacheDataView parent, bool[] active, int[]? order)
            : base(parent.Schema, active)
        {
            _parent = parent;
            _order = order;
            for (int i = 0; i < active.Length; i++)
            {
                if (active[i])
                    Getters[i] = parent._columns[i]!.MakeGetter(_slot);
            }
        }

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_done || _position + 1 >= _parent._rowCount)
            {
                _done = true;
                _position = -1;
                _slot.Value = -1;
                return false;
            }
            _position++;
            _slot.Value = _order == null ? (int)_position : _order[_position];
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter()
        {
            var ids = _parent._ids;
            return (ref DataViewRowId id) => id = ids[_slot.Value];
        }
    }
}
