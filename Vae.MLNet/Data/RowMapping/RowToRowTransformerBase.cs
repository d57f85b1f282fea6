namespace Vae.MLNet.Data;

/// <summary>
/// Base of transformers that map each row independently. Implement <see cref="MakeRowMapper"/> (usually returning a
/// <see cref="RowMapper"/> or <see cref="BatchedRowMapper"/>) and <see cref="Save"/>; the base provides the lazy
/// <see cref="Transform"/>, schema propagation and single-row mapping.
/// </summary>
public abstract class RowToRowTransformerBase : ITransformer
{
    /// <summary>Always true: these transformers map single rows.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>
    /// A mapper for rows of <paramref name="inputSchema"/>. Validate the schema (here or in the mapper's output
    /// columns) and throw <see cref="ArgumentOutOfRangeException"/> naming the bad column.
    /// </summary>
    protected abstract IRowToRowMapper MakeRowMapper(DataViewSchema inputSchema);

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return MakeRowMapper(inputSchema).OutputSchema;
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var mapper = MakeRowMapper(inputSchema);
        _ = mapper.OutputSchema;
        return mapper;
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new MappedDataView(input, GetRowToRowMapper(input.Schema));
    }

    /// <inheritdoc/>
    public abstract void Save(ModelSaveContext ctx);
}
