namespace Vae.MLNet.Data;

/// <summary>
/// Getters over the members of the object in a <see cref="CurrentObject{TRow}"/>, built once for the active columns
/// of a schema definition. Shared by enumerable views and prediction engines.
/// </summary>
internal static class ObjectGetters<TRow>
{
    /// <summary>Sets <paramref name="getters"/>[i] for each active column i.</summary>
    public static void Fill(Delegate?[] getters, SchemaDefinition definition, DataViewSchema schema, bool[] active, CurrentObject<TRow> current)
    {
        for (int i = 0; i < schema.Count; i++)
        {
            if (active[i])
                getters[i] = MemberBinding.MakeGetter(MemberBinding.Resolve<TRow>(definition[i]), schema[i].Type, schema[i].Name, current);
        }
    }

    /// <summary>The schema of a definition, validating each member once.</summary>
    public static DataViewSchema MakeSchema(SchemaDefinition definition)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var column in definition)
        {
            var member = MemberBinding.Resolve<TRow>(column);
            MemberBinding.CheckCompatible(SchemaDefinition.MemberType(member), column.ColumnType, column.ColumnName, member.Name);
            builder.AddColumn(column.ColumnName, column.ColumnType);
        }
        return builder.ToSchema();
    }
}

/// <summary>A row whose values are the members of one object; the prediction engine's input.</summary>
internal sealed class ObjectRow<TRow> : DataViewRow
{
    private readonly DataViewSchema _schema;
    private readonly Delegate?[] _getters;

    public ObjectRow(SchemaDefinition definition, DataViewSchema schema)
    {
        _schema = schema;
        _getters = new Delegate?[schema.Count];
        ObjectGetters<TRow>.Fill(_getters, definition, schema, Enumerable.Repeat(true, schema.Count).ToArray(), Current);
    }

    public CurrentObject<TRow> Current { get; } = new();

    public override long Position => Current.Position;

    public override long Batch => 0;

    public override DataViewSchema Schema => _schema;

    public override bool IsColumnActive(DataViewSchema.Column column)
    {
        RowChecks.CheckColumn(_schema, column);
        return true;
    }

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        RowChecks.CheckColumn(_schema, column);
        return RowChecks.Cast<TValue>(_getters[column.Index], column);
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)Current.Position, 0);
}
