namespace Vae.MLNet.Data;

/// <summary>The kinds of values a text column can hold.</summary>
public enum DataKind
{
    /// <summary>Signed 8-bit integers.</summary>
    SByte = 1,

    /// <summary>Unsigned 8-bit integers.</summary>
    Byte = 2,

    /// <summary>Signed 16-bit integers.</summary>
    Int16 = 3,

    /// <summary>Unsigned 16-bit integers.</summary>
    UInt16 = 4,

    /// <summary>Signed 32-bit integers.</summary>
    Int32 = 5,

    /// <summary>Unsigned 32-bit integers (keys when a key count is given).</summary>
    UInt32 = 6,

    /// <summary>Signed 64-bit integers.</summary>
    Int64 = 7,

    /// <summary>Unsigned 64-bit integers.</summary>
    UInt64 = 8,

    /// <summary>32-bit floats.</summary>
    Single = 9,

    /// <summary>64-bit floats.</summary>
    Double = 10,

    /// <summary>Text.</summary>
    String = 11,

    /// <summary>Booleans.</summary>
    Boolean = 12,
}

/// <summary>
/// Loads delimited text files lazily: the file is read line by line as a cursor moves, and a field is parsed only
/// when its column is read. See <see cref="Options"/> for quoting, headers, sparse lines and missing values.
/// </summary>
public sealed class TextLoader
{
    private readonly Options _options;
    private readonly ColumnSpec[] _columns;

    /// <summary>A loader with <paramref name="options"/>.</summary>
    public TextLoader(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Columns is not { Length: > 0 })
            throw new ArgumentException("A text loader needs at least one column.", nameof(options));
        _options = options;
        _columns = options.Columns.Select(ColumnSpec.From).ToArray();
    }

    internal TextLoader(Options options, ColumnSpec[] columns)
    {
        _options = options;
        _columns = columns;
    }

    /// <summary>The data in <paramref name="path"/>; nothing but the header line is read until a cursor moves.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public IDataView Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Text data file '{path}' not found.", path);
        return new TextLoaderDataView(path, _options, _columns);
    }

    /// <summary>A column: a name, the kind of its values and the 0-based fields it is read from.</summary>
    public sealed class Column
    {
        /// <summary>A scalar column read from field <paramref name="index"/>.</summary>
        public Column(string name, DataKind dataKind, int index) : this(name, dataKind, [new Range(index)])
        {
        }

        /// <summary>A vector column read from fields <paramref name="minIndex"/> to <paramref name="maxIndex"/>, inclusive.</summary>
        public Column(string name, DataKind dataKind, int minIndex, int maxIndex) : this(name, dataKind, [new Range(minIndex, maxIndex)])
        {
        }

        /// <summary>A column read from <paramref name="source"/> ranges; keys when <paramref name="keyCount"/> is given.</summary>
        public Column(string name, DataKind dataKind, Range[] source, KeyCount? keyCount = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            ArgumentNullException.ThrowIfNull(source);
            Name = name;
            DataKind = dataKind;
            Source = source;
            KeyCount = keyCount;
        }

        /// <summary>The column name.</summary>
        public string Name { get; }

        /// <summary>The kind of values.</summary>
        public DataKind DataKind { get; }

        /// <summary>The source fields. One range of one field makes a scalar; anything else a vector.</summary>
        public Range[] Source { get; }

        /// <summary>When set, the values are 0-based key indices in the text and keys 1..Count in the data.</summary>
        public KeyCount? KeyCount { get; }
    }

    /// <summary>A range of 0-based field indices, inclusive.</summary>
    public sealed class Range
    {
        /// <summary>The single field <paramref name="index"/>.</summary>
        public Range(int index) : this(index, index)
        {
        }

        /// <summary>Fields <paramref name="min"/> to <paramref name="max"/>.</summary>
        public Range(int min, int max)
        {
            if (min < 0 || max < min)
                throw new ArgumentOutOfRangeException(nameof(max), $"Invalid field range {min}-{max}.");
            Min = min;
            Max = max;
        }

        /// <summary>The first field.</summary>
        public int Min { get; }

        /// <summary>The last field.</summary>
        public int Max { get; }
    }

    /// <summary>The number of categories of a key column.</summary>
    public sealed class KeyCount
    {
        /// <summary>Keys 1..<paramref name="count"/>.</summary>
        public KeyCount(ulong count) => Count = count;

        /// <summary>The number of categories.</summary>
        public ulong Count { get; }
    }

    /// <summary>How to read the file.</summary>
    public sealed class Options
    {
        /// <summary>The columns.</summary>
        public Column[] Columns = [];

        /// <summary>The field separators (default tab).</summary>
        public char[] Separators = ['\t'];

        /// <summary>Whether the first line holds column names; it is skipped, and its names become the slot names of vector columns.</summary>
        public bool HasHeader;

        /// <summary>Whether fields may be enclosed in double quotes (a doubled quote inside is one quote), protecting separators.</summary>
        public bool AllowQuoting;

        /// <summary>Whether leading and trailing whitespace is removed from every field.</summary>
        public bool TrimWhitespace;

        /// <summary>
        /// Whether lines may end in sparse form: after the dense fields, a field with the number of sparse fields,
        /// then <c>index:value</c> pairs with indices relative to the sparse part; absent fields are 0.
        /// </summary>
        public bool AllowSparse;
    }
}
