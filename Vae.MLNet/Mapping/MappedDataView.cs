using Microsoft.ML;

namespace Vae.MLNet.Mapping;

/// <summary>
/// What the transformers' Transform returns: the input view with the model's columns added, computed lazily
/// by cursors that read rows in batches. Parallel cursors from <see cref="GetRowCursorSet"/> each keep their own
/// buffers and tensors, so each may run on its own thread.
/// </summary>
internal sealed class MappedDataView : IDataView
{
    private readonly IDataView _source;
    private readonly IBatchMapper _mapper;

    public MappedDataView(IDataView source, IBatchMapper mapper)
    {
        _source = source;
        _mapper = mapper;
    }

    public bool CanShuffle => _source.CanShuffle;

    public DataViewSchema Schema => _mapper.OutputSchema;

    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        _mapper.Lifetime.ThrowIfEnded();
        var active = ActiveColumns.Of(Schema, columnsNeeded);
        return new BatchCursor(_mapper, _source.GetRowCursor(ActiveColumns.InputsNeeded(_mapper, active), rand), active);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        _mapper.Lifetime.ThrowIfEnded();
        var active = ActiveColumns.Of(Schema, columnsNeeded);
        return _source.GetRowCursorSet(ActiveColumns.InputsNeeded(_mapper, active), n, rand)
            .Select(input => (DataViewRowCursor)new BatchCursor(_mapper, input, active))
            .ToArray();
    }
}

/// <summary>Which output columns a caller asked for, and which input columns that takes.</summary>
internal static class ActiveColumns
{
    /// <summary>Flags over <paramref name="schema"/>'s columns; a column of another schema is refused with its name.</summary>
    public static bool[] Of(DataViewSchema schema, IEnumerable<DataViewSchema.Column> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var active = new bool[schema.Count];
        foreach (var column in columns)
        {
            Check(schema, column);
            active[column.Index] = true;
        }
        return active;
    }

    /// <summary>The input columns that serve the active output columns: the pass-through ones and, for any added column, the model's inputs.</summary>
    public static IEnumerable<DataViewSchema.Column> InputsNeeded(IBatchMapper mapper, bool[] active)
    {
        var needed = new bool[mapper.InputSchema.Count];
        for (int i = 0; i < needed.Length; i++) needed[i] = active[i];
        if (active.AsSpan(needed.Length).Contains(true))
            foreach (var c in mapper.Dependencies) needed[c.Index] = true;
        return mapper.InputSchema.Where(c => needed[c.Index]).ToArray();
    }

    /// <summary>Added-column flags (one per added column, in order) from output-schema flags.</summary>
    public static bool[] Added(IBatchMapper mapper, bool[] active)
    {
        var added = new bool[mapper.AddedCount];
        for (int j = 0; j < mapper.AddedCount; j++) added[j] = active[mapper.InputSchema.Count + j];
        return added;
    }

    /// <summary>
    /// <paramref name="schema"/>'s column at <paramref name="column"/>'s index. Matched by index, as ML.NET's own
    /// cursors and rows do, so a column of an equal schema (<c>model.GetOutputSchema(s)["LatentMean"]</c> given to a
    /// cursor of <c>model.Transform(data)</c>) is accepted.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The column's index is outside <paramref name="schema"/>.</exception>
    public static DataViewSchema.Column Check(DataViewSchema schema, DataViewSchema.Column column)
    {
        if (column.Index < 0 || column.Index >= schema.Count)
            throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' (index {column.Index}) is not a column of this schema, which has {schema.Count} columns.");
        return schema[column.Index];
    }

    /// <exception cref="InvalidOperationException">A getter of the wrong type was asked for (as ML.NET's cursors say it).</exception>
    public static void CheckType<TValue>(DataViewSchema.Column column)
    {
        if (typeof(TValue) != column.Type.RawType)
            throw new InvalidOperationException($"Invalid TValue in GetGetter for column '{column.Name}': expected type '{column.Type.RawType}', got '{typeof(TValue)}'.");
    }
}
