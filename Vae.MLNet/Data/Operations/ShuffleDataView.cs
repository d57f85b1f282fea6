namespace Vae.MLNet.Data;

/// <summary>
/// Shuffles rows lazily: the source is read in random order when it can be (and <c>shuffleSource</c>), and rows pass
/// through a pool of <c>poolSize</c> buffered rows from which each next row is drawn at random. Without a
/// caller-supplied <see cref="Random"/>, every cursor uses the view's seed, so enumerations repeat.
/// </summary>
internal sealed class ShuffleDataView : IDataView
{
    private readonly IDataView _input;
    private readonly int _seed;
    private readonly int _poolSize;
    private readonly bool _shuffleSource;

    public ShuffleDataView(IDataView input, int seed, int poolSize, bool shuffleSource)
    {
        _input = input;
        _seed = seed;
        _poolSize = poolSize;
        _shuffleSource = shuffleSource;
    }

    public bool CanShuffle => _input.CanShuffle;

    public DataViewSchema Schema => _input.Schema;

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        var active = RowChecks.ActiveFlags(Schema, needed);
        var random = rand ?? new Random(_seed);
        var source = _input.GetRowCursor(needed, _shuffleSource && _input.CanShuffle ? new Random(random.Next()) : null);
        return _poolSize > 1 ? new PoolCursor(source, active, _poolSize, random) : source;
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class PoolCursor : GetterCursor
    {
        private readonly DataViewRowCursor _input;
        private readonly Random _random;
        private readonly ColumnBuffer[] _buffers;
        private readonly ValueGetter<DataViewRowId> _inputId;
        private readonly DataViewRowId[] _ids;
        private readonly SlotIndex _slot = new() { Value = -1 };
        private int _count;
        private bool _filled;
        private bool _inputDone;
        private long _position = -1;

        public PoolCursor(DataViewRowCursor input, bool[] active, int poolSize, Random random)
            : base(input.Schema, active)
        {
            _input = input;
            _random = random;
            _ids = new DataViewRowId[poolSize];
            _inputId = input.GetIdGetter();
            var buffers = new List<ColumnBuffer>();
            for (int i = 0; i < active.Length; i++)
            {
                if (!active[i])
                    continue;
                var buffer = ColumnBuffer.Create(input.Schema[i].Type, poolSize);
                buffer.Bind(input, input.Schema[i]);
                buffers.Add(buffer);
                Getters[i] = buffer.MakeGetter(_slot);
            }
            _buffers = buffers.ToArray();
        }

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (!_filled)
            {
                _filled = true;
                while (_count < _ids.Length && Read(_count))
                    _count++;
            }
            else if (_slot.Value >= 0)
            {
                // Replace the row just served by the next input row, or close the gap.
                if (_inputDone || !Read(_slot.Value))
                    Remove(_slot.Value);
            }
            if (_count == 0)
            {
                _slot.Value = -1;
                _position = -1;
                return false;
            }
            _slot.Value = _random.Next(_count);
            _position++;
            return true;
        }

        private bool Read(int slot)
        {
            if (_inputDone || !_input.MoveNext())
            {
                _inputDone = true;
                return false;
            }
            foreach (var b in _buffers)
                b.Fill(slot);
            _inputId(ref _ids[slot]);
            return true;
        }

        private void Remove(int slot)
        {
            int last = --_count;
            foreach (var b in _buffers)
                b.Swap(slot, last);
            _ids[slot] = _ids[last];
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = _ids[_slot.Value];

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _input.Dispose();
        }
    }
}
