namespace Vae.MLNet.Data;

/// <summary>The lazy view of a text file: one cursor reads the file line by line; fields are parsed per active column on demand.</summary>
internal sealed class TextLoaderDataView : IDataView
{
    private readonly string _path;
    private readonly TextLoader.Options _options;
    private readonly ColumnSpec[] _columns;

    public TextLoaderDataView(string path, TextLoader.Options options, ColumnSpec[] columns)
    {
        _path = path;
        _options = options;
        _columns = columns;
        var header = options.HasHeader ? ReadHeader() : null;
        var builder = new DataViewSchema.Builder();
        foreach (var c in columns)
        {
            var annotations = new DataViewSchema.Annotations.Builder();
            if (header != null && c.Type is VectorDataViewType v)
            {
                // Look up only the fields the column reads: a sparse header may declare billions of fields.
                var names = c.Sources.Select(i => header.TryGetField(i, out var f) ? f.ToString().AsMemory() : ReadOnlyMemory<char>.Empty).ToArray();
                annotations.AddSlotNames(v.Size, (ref VBuffer<ReadOnlyMemory<char>> dst) => VBuffer<ReadOnlyMemory<char>>.Copy(names, 0, ref dst, names.Length));
            }
            builder.AddColumn(c.Name, c.Type, annotations.ToAnnotations());
        }
        Schema = builder.ToSchema();
    }

    // The header line split into fields, or null for an empty file.
    private TextLineSplitter? ReadHeader()
    {
        using var reader = new StreamReader(_path);
        string? line = reader.ReadLine();
        if (line == null)
            return null;
        var splitter = new TextLineSplitter(_options);
        splitter.Split(line, $"{_path}: line 1");
        return splitter;
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, RowChecks.ActiveFlags(Schema, columnsNeeded));

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : GetterCursor
    {
        private readonly TextLoaderDataView _parent;
        private readonly StreamReader _reader;
        private readonly TextLineSplitter _splitter;
        private long _lineNumber;
        private long _position = -1;
        private bool _done;

        public Cursor(TextLoaderDataView parent, bool[] active)
            : base(parent.Schema, active)
        {
            _parent = parent;
            _reader = new StreamReader(parent._path);
            _splitter = new TextLineSplitter(parent._options);
            if (parent._options.HasHeader)
            {
                _reader.ReadLine();
                _lineNumber = 1;
            }
            for (int i = 0; i < active.Length; i++)
            {
                if (active[i])
                    Getters[i] = Generic.Invoke<Delegate>(new Func<ColumnSpec, Delegate>(MakeGetter<int>), parent._columns[i].ItemType.RawType, parent._columns[i]);
            }
        }

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            while (!_done)
            {
                string? line = _reader.ReadLine();
                if (line == null)
                    break;
                _lineNumber++;
                if (string.IsNullOrWhiteSpace(line))
                    continue;
                _splitter.Split(line, $"{_parent._path}: line {_lineNumber}");
                _position++;
                return true;
            }
            _done = true;
            _position = -1;
            return false;
        }

        private Delegate MakeGetter<T>(ColumnSpec column)
        {
            var sources = column.Sources;
            if (typeof(T) == typeof(ReadOnlyMemory<char>))
            {
                ReadOnlyMemory<char> Text(int source) => _splitter.TryGetField(source, out var f) ? f : ReadOnlyMemory<char>.Empty;
                if (column.Type is not VectorDataViewType)
                    return (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> v) => v = Text(sources[0]));
                return (ValueGetter<VBuffer<ReadOnlyMemory<char>>>)((ref VBuffer<ReadOnlyMemory<char>> v) =>
                {
                    var editor = VBufferEditor.Create(ref v, sources.Length);
                    for (int i = 0; i < sources.Length; i++)
                        editor.Values[i] = Text(sources[i]);
                    v = editor.Commit();
                });
            }
            var parse = TextValueParser.Get<T>(column.ItemType);
            T Parse(int source)
            {
                var text = _splitter.TryGetField(source, out var f) ? f.Span : default;
                if (!parse(text, out T value))
                    throw new FormatException($"{_parent._path}: line {_lineNumber}, field {source} (column '{column.Name}'): cannot parse '{text}' as {column.ItemType}.");
                return value;
            }
            if (column.Type is not VectorDataViewType)
                return (ValueGetter<T>)((ref T v) => v = Parse(sources[0]));
            return (ValueGetter<VBuffer<T>>)((ref VBuffer<T> v) =>
            {
                var editor = VBufferEditor.Create(ref v, sources.Length);
                for (int i = 0; i < sources.Length; i++)
                    editor.Values[i] = Parse(sources[i]);
                v = editor.Commit();
            });
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _reader.Dispose();
        }
    }
}
