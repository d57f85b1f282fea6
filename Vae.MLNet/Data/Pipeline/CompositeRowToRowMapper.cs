namespace Vae.MLNet.Data;

/// <summary>Row mappers applied in sequence; dependencies are resolved backwards so each stage computes only what is used.</summary>
internal sealed class CompositeRowToRowMapper : IRowToRowMapper
{
    private readonly IRowToRowMapper[] _mappers;

    public CompositeRowToRowMapper(DataViewSchema inputSchema, IRowToRowMapper[] mappers)
    {
        InputSchema = inputSchema;
        _mappers = mappers;
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema => _mappers.Length == 0 ? InputSchema : _mappers[^1].OutputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var columns = dependingColumns;
        for (int i = _mappers.Length - 1; i >= 0; i--)
            columns = _mappers[i].GetDependencies(columns).ToArray();
        return columns;
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        // Active columns of each stage's output, from the last stage backwards.
        var active = new DataViewSchema.Column[_mappers.Length][];
        var columns = activeColumns.ToArray();
        for (int i = _mappers.Length - 1; i >= 0; i--)
        {
            active[i] = columns;
            columns = _mappers[i].GetDependencies(columns).ToArray();
        }
        var row = input;
        for (int i = 0; i < _mappers.Length; i++)
            row = _mappers[i].GetRow(row, active[i]);
        return row;
    }
}
