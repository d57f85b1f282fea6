using Vae.MLNet.Data;

namespace Vae.MLNet.Transforms;

/// <summary>Keeps (<c>SelectColumns</c>) or removes (<c>DropColumns</c>) columns by name.</summary>
public sealed class ColumnSelectingEstimator : TrivialEstimator<ColumnSelectingTransformer>
{
    internal ColumnSelectingEstimator(string[]? keepColumns, string[]? dropColumns, bool keepHidden)
        : base(new ColumnSelectingTransformer(keepColumns, dropColumns, keepHidden))
    {
    }

    /// <inheritdoc/>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var names = Transformer.KeepColumns ?? Transformer.DropColumns!;
        foreach (var n in names)
            SchemaErrors.Find(inputSchema, n);
        return Transformer.KeepColumns != null
            ? new SchemaShape(Transformer.KeepColumns.Select(n => SchemaErrors.Find(inputSchema, n)))
            : new SchemaShape(inputSchema.Where(c => !names.Contains(c.Name)));
    }
}

/// <summary>
/// The fitted <see cref="ColumnSelectingEstimator"/>. Selecting keeps the named columns in the order given (with
/// <see cref="KeepHidden"/>, also the hidden columns of those names, in schema order); dropping removes every
/// column of the given names, hidden ones included. A name that does not exist is an error.
/// </summary>
public sealed class ColumnSelectingTransformer : RowToRowTransformerBase
{
    internal const string Kind = "ColumnSelectingTransformer";

    internal ColumnSelectingTransformer(string[]? keepColumns, string[]? dropColumns, bool keepHidden)
    {
        if ((keepColumns == null) == (dropColumns == null))
            throw new ArgumentException("Give either the columns to keep or the columns to drop.");
        if ((keepColumns ?? dropColumns)!.Any(string.IsNullOrEmpty))
            throw new ArgumentException("Column names cannot be empty.");
        KeepColumns = keepColumns?.ToArray();
        DropColumns = dropColumns?.ToArray();
        KeepHidden = keepHidden;
    }

    /// <summary>The columns kept, or null when dropping.</summary>
    public IReadOnlyList<string>? KeepColumns { get; }

    /// <summary>The columns dropped, or null when selecting.</summary>
    public IReadOnlyList<string>? DropColumns { get; }

    /// <summary>Whether hidden columns of the kept names are kept too.</summary>
    public bool KeepHidden { get; }

    /// <inheritdoc/>
    protected override IRowToRowMapper MakeRowMapper(DataViewSchema inputSchema)
    {
        var names = KeepColumns ?? DropColumns!;
        foreach (var n in names)
            SchemaErrors.Find(inputSchema, n);
        int[] map;
        if (DropColumns != null)
            map = inputSchema.Where(c => !DropColumns.Contains(c.Name)).Select(c => c.Index).ToArray();
        else if (KeepHidden)
            map = inputSchema.Where(c => KeepColumns!.Contains(c.Name)).Select(c => c.Index).ToArray();
        else
            map = KeepColumns!.Distinct().Select(n => inputSchema[n].Index).ToArray();
        return new SelectingMapper(inputSchema, map);
    }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext ctx)
    {
        ctx.SetKind(Kind);
        ctx.WriteOptions(new Options { Keep = KeepColumns?.ToArray(), Drop = DropColumns?.ToArray(), KeepHidden = KeepHidden });
    }

    internal static ColumnSelectingTransformer Load(ModelLoadContext ctx)
    {
        var o = ctx.ReadOptions<Options>();
        if ((o.Keep == null) == (o.Drop == null))
            throw new InvalidDataException($"{ctx.Where}: exactly one of Keep and Drop must be given.");
        return new ColumnSelectingTransformer(o.Keep, o.Drop, o.KeepHidden);
    }

    private sealed class Options
    {
        public string[]? Keep { get; set; }

        public string[]? Drop { get; set; }

        public bool KeepHidden { get; set; }
    }

    /// <summary>Output column i is input column map[i].</summary>
    private sealed class SelectingMapper : IRowToRowMapper
    {
        private readonly int[] _map;

        public SelectingMapper(DataViewSchema inputSchema, int[] map)
        {
            InputSchema = inputSchema;
            _map = map;
            OutputSchema = DataViewSchema.Create(map.Select(i => new DataViewSchema.DetachedColumn(inputSchema[i])));
        }

        public DataViewSchema InputSchema { get; }

        public DataViewSchema OutputSchema { get; }

        public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
            dependingColumns.Select(c =>
            {
                RowChecks.CheckColumn(OutputSchema, c);
                return InputSchema[_map[c.Index]];
            }).ToArray();

        public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
            new SelectedRow(input, OutputSchema, _map, RowChecks.ActiveFlags(OutputSchema, activeColumns));
    }

    private sealed class SelectedRow(DataViewRow input, DataViewSchema schema, int[] map, bool[] active) : DataViewRow
    {
        public override long Position => input.Position;

        public override long Batch => input.Batch;

        public override DataViewSchema Schema => schema;

        public override bool IsColumnActive(DataViewSchema.Column column)
        {
            RowChecks.CheckColumn(schema, column);
            return active[column.Index];
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            RowChecks.CheckColumn(schema, column);
            return active[column.Index]
                ? input.GetGetter<TValue>(input.Schema[map[column.Index]])
                : RowChecks.Cast<TValue>(null, column);
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();
    }
}
