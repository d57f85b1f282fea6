namespace Vae.MLNet.Data;

/// <summary>
/// A mapper whose output rows are the input columns followed by the columns it adds (an added column shadows an
/// input column of the same name). Derive from <see cref="RowMapper"/> (per-row getters) or
/// <see cref="BatchedRowMapper"/> (one call per batch of rows), then return it from
/// <see cref="RowToRowTransformerBase.MakeRowMapper"/>.
/// </summary>
public abstract class RowMapperBase : IRowToRowMapper
{
    private DataViewSchema.DetachedColumn[]? _added;
    private DataViewSchema? _outputSchema;
    private DataViewSchema? _addedSchema;

    private protected RowMapperBase(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        InputSchema = inputSchema;
    }

    /// <inheritdoc/>
    public DataViewSchema InputSchema { get; }

    /// <summary>The input columns followed by the added columns; computing it validates the input.</summary>
    public DataViewSchema OutputSchema =>
        _outputSchema ??= DataViewSchema.Create(InputSchema.Select(c => new DataViewSchema.DetachedColumn(c)).Concat(AddedColumns));

    /// <summary>
    /// The columns this mapper adds, in order; called once. Validate the input schema here and throw
    /// <see cref="ArgumentOutOfRangeException"/> naming the column when it is missing or of the wrong type.
    /// </summary>
    protected abstract DataViewSchema.DetachedColumn[] GetOutputColumns();

    internal DataViewSchema.DetachedColumn[] AddedColumns =>
        _added ??= GetOutputColumns() ?? throw new InvalidOperationException($"{GetType().Name}.GetOutputColumns returned null.");

    /// <summary>A schema of the added columns alone (index j = added column j).</summary>
    internal DataViewSchema AddedSchema => _addedSchema ??= DataViewSchema.Create(AddedColumns);

    /// <summary>The input columns needed to compute added column <paramref name="addedIndex"/>.</summary>
    private protected abstract IEnumerable<DataViewSchema.Column> DependenciesOfAdded(int addedIndex);

    /// <summary>A row of <see cref="OutputSchema"/> following <paramref name="input"/>, computing the flagged columns.</summary>
    private protected abstract DataViewRow MakeRow(DataViewRow input, bool[] outputActive);

    /// <summary>A cursor of <see cref="OutputSchema"/> over <paramref name="input"/>; batched mappers read ahead.</summary>
    internal virtual DataViewRowCursor MakeCursor(DataViewRowCursor input, bool[] outputActive) =>
        new FollowingCursor(input, MakeRow(input, outputActive));

    /// <inheritdoc/>
    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
        RowChecks.Columns(InputSchema, InputActive(RowChecks.ActiveFlags(OutputSchema, dependingColumns)));

    /// <inheritdoc/>
    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInputSchema(input.Schema);
        return MakeRow(input, RowChecks.ActiveFlags(OutputSchema, activeColumns));
    }

    /// <summary>Which input columns must be active to compute the flagged output columns.</summary>
    internal bool[] InputActive(bool[] outputActive)
    {
        int n = InputSchema.Count;
        var inputActive = new bool[n];
        Array.Copy(outputActive, inputActive, n);
        for (int j = 0; j < AddedColumns.Length; j++)
        {
            if (!outputActive[n + j])
                continue;
            foreach (var dependency in DependenciesOfAdded(j))
            {
                RowChecks.CheckColumn(InputSchema, dependency);
                inputActive[dependency.Index] = true;
            }
        }
        return inputActive;
    }

    internal void CheckInputSchema(DataViewSchema schema)
    {
        if (ReferenceEquals(schema, InputSchema))
            return;
        bool same = schema.Count == InputSchema.Count;
        for (int i = 0; same && i < schema.Count; i++)
            same = schema[i].Name == InputSchema[i].Name && schema[i].Type.Equals(InputSchema[i].Type);
        if (!same)
            throw new ArgumentException($"The row's schema ({schema}) differs from the schema this mapper was built for ({InputSchema}).", "input");
    }
}
