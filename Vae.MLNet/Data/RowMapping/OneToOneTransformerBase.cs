namespace Vae.MLNet.Data;

/// <summary>
/// Base of transformers that compute each output column from one input column, for a list of
/// (output, input) column pairs. Implement <see cref="MakeOutputColumn"/> (validate the input, describe the output)
/// and <see cref="MakeGetter"/> (the per-row mapping).
/// </summary>
public abstract class OneToOneTransformerBase : RowToRowTransformerBase
{
    /// <summary>Creates a transformer of the given (output, input) column pairs.</summary>
    protected OneToOneTransformerBase(params (string outputColumnName, string inputColumnName)[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Length == 0)
            throw new ArgumentException("At least one column pair is needed.", nameof(columns));
        foreach (var (output, input) in columns)
        {
            ArgumentException.ThrowIfNullOrEmpty(output, nameof(columns));
            ArgumentException.ThrowIfNullOrEmpty(input, nameof(columns));
        }
        ColumnPairs = columns.ToArray();
    }

    /// <summary>The (output, input) column pairs, in order.</summary>
    public IReadOnlyList<(string outputColumnName, string inputColumnName)> ColumnPairs { get; }

    /// <summary>
    /// The output column of pair <paramref name="pairIndex"/> given its input column. Throw
    /// <see cref="ArgumentOutOfRangeException"/> naming the column when the input type is not supported.
    /// </summary>
    protected abstract DataViewSchema.DetachedColumn MakeOutputColumn(int pairIndex, DataViewSchema.Column inputColumn);

    /// <summary>The getter (a <see cref="ValueGetter{TValue}"/> of the output raw type) of pair <paramref name="pairIndex"/> over <paramref name="input"/>.</summary>
    protected abstract Delegate MakeGetter(DataViewRow input, int pairIndex, DataViewSchema.Column inputColumn);

    /// <inheritdoc/>
    protected sealed override IRowToRowMapper MakeRowMapper(DataViewSchema inputSchema) => new PairMapper(this, inputSchema);

    private sealed class PairMapper : RowMapper
    {
        private readonly OneToOneTransformerBase _owner;
        private readonly DataViewSchema.Column[] _inputs;

        public PairMapper(OneToOneTransformerBase owner, DataViewSchema inputSchema) : base(inputSchema)
        {
            _owner = owner;
            _inputs = owner.ColumnPairs.Select(p => SchemaErrors.Find(inputSchema, p.inputColumnName)).ToArray();
        }

        protected override DataViewSchema.DetachedColumn[] GetOutputColumns() =>
            _inputs.Select((c, i) =>
            {
                var made = _owner.MakeOutputColumn(i, c);
                return new DataViewSchema.DetachedColumn(_owner.ColumnPairs[i].outputColumnName, made.Type, made.Annotations);
            }).ToArray();

        protected override IEnumerable<DataViewSchema.Column> GetInputDependencies(int outputColumnIndex) => [_inputs[outputColumnIndex]];

        protected override Delegate MakeGetter(DataViewRow input, int outputColumnIndex) =>
            _owner.MakeGetter(input, outputColumnIndex, input.Schema[_inputs[outputColumnIndex].Index]);
    }
}
