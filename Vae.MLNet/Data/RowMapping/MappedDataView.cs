namespace Vae.MLNet.Data;

/// <summary>The lazy view of an input mapped row by row through an <see cref="IRowToRowMapper"/>.</summary>
internal sealed class MappedDataView : IDataView
{
    private readonly IDataView _input;
    private readonly IRowToRowMapper _mapper;

    public MappedDataView(IDataView input, IRowToRowMapper mapper)
    {
        _input = input;
        _mapper = mapper;
    }

    public bool CanShuffle => _input.CanShuffle;

    public DataViewSchema Schema => _mapper.OutputSchema;

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        var active = RowChecks.ActiveFlags(Schema, needed);
        var input = _input.GetRowCursor(_mapper.GetDependencies(needed), rand);
        return _mapper is RowMapperBase mapper
            ? mapper.MakeCursor(input, active)
            : new FollowingCursor(input, _mapper.GetRow(input, needed));
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}
