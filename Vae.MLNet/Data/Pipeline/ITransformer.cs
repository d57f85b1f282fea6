namespace Vae.MLNet;

/// <summary>
/// A fitted pipeline step: maps a data view to another, lazily. A transformer that maps each row independently
/// (<see cref="IsRowToRowMapper"/>) can also map single rows, which is what prediction engines use.
/// </summary>
public interface ITransformer : ICanSaveModel
{
    /// <summary>Whether <see cref="GetRowToRowMapper"/> is supported.</summary>
    bool IsRowToRowMapper { get; }

    /// <summary>The schema <see cref="Transform"/> would produce for <paramref name="inputSchema"/>; reads no data.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A needed column is missing or has the wrong type.</exception>
    DataViewSchema GetOutputSchema(DataViewSchema inputSchema);

    /// <summary>A mapper of single rows of <paramref name="inputSchema"/>.</summary>
    IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema);

    /// <summary>The transformed view of <paramref name="input"/>; computed lazily as cursors move.</summary>
    IDataView Transform(IDataView input);
}

/// <summary>A pipeline step before fitting: <see cref="Fit"/> learns what it needs from data and returns a transformer.</summary>
public interface IEstimator<out TTransformer>
    where TTransformer : ITransformer
{
    /// <summary>Learns from <paramref name="input"/> (streaming it as few times as possible) and returns the transformer.</summary>
    TTransformer Fit(IDataView input);

    /// <summary>The shape of the output for input of shape <paramref name="inputSchema"/>; rejects bad input before any work.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A needed column is missing or has the wrong type.</exception>
    SchemaShape GetOutputSchema(SchemaShape inputSchema);
}

/// <summary>Maps single rows: the mechanism behind prediction engines and chained row-to-row transforms.</summary>
public interface IRowToRowMapper
{
    /// <summary>The schema of the rows it accepts.</summary>
    DataViewSchema InputSchema { get; }

    /// <summary>The schema of the rows it returns.</summary>
    DataViewSchema OutputSchema { get; }

    /// <summary>The input columns needed to compute <paramref name="dependingColumns"/> (columns of <see cref="OutputSchema"/>).</summary>
    IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns);

    /// <summary>
    /// A row of <see cref="OutputSchema"/> computed from <paramref name="input"/>, whose active columns must include
    /// <see cref="GetDependencies"/> of <paramref name="activeColumns"/>. The row follows <paramref name="input"/>: when the
    /// input moves, the output's getters return the new row's values.
    /// </summary>
    DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns);
}

/// <summary>Something that can be written into a model file (see <see cref="ModelSaveContext"/>).</summary>
public interface ICanSaveModel
{
    /// <summary>Writes the component: its kind, options and arrays.</summary>
    void Save(ModelSaveContext ctx);
}
