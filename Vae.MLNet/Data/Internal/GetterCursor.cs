namespace Vae.MLNet.Data;

/// <summary>Base of the library's cursors that serve each active column from a getter built when the cursor is created.</summary>
internal abstract class GetterCursor : DataViewRowCursor
{
    private readonly bool[] _active;

    protected GetterCursor(DataViewSchema schema, bool[] active)
    {
        Schema = schema;
        _active = active;
        Getters = new Delegate?[active.Length];
    }

    /// <summary>The getter of each active column (by index); derived cursors fill it in their constructor.</summary>
    protected Delegate?[] Getters { get; }

    public sealed override DataViewSchema Schema { get; }

    public sealed override bool IsColumnActive(DataViewSchema.Column column)
    {
        RowChecks.CheckColumn(Schema, column);
        return _active[column.Index];
    }

    public sealed override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        RowChecks.CheckColumn(Schema, column);
        return RowChecks.Cast<TValue>(Getters[column.Index], column);
    }
}
