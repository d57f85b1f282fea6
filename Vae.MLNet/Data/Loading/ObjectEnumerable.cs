using System.Reflection;

namespace Vae.MLNet.Data;

/// <summary>Reads a data view into objects: bindings are checked eagerly, rows are read lazily.</summary>
internal static class ObjectEnumerable
{
    public static IEnumerable<TRow> Create<TRow>(IDataView data, bool reuseRowObject, bool ignoreMissingColumns, SchemaDefinition? definition)
        where TRow : class, new()
    {
        var bindings = Bind<TRow>(data.Schema, definition, ignoreMissingColumns);
        return Iterate<TRow>(data, bindings, reuseRowObject);
    }

    /// <summary>The (column, member) pairs of <typeparamref name="TRow"/> found in <paramref name="schema"/>.</summary>
    public static (DataViewSchema.Column Column, MemberInfo Member)[] Bind<TRow>(DataViewSchema schema, SchemaDefinition? definition, bool ignoreMissingColumns)
    {
        definition ??= SchemaDefinition.Create(typeof(TRow), SchemaDefinition.Direction.Write);
        var bindings = new List<(DataViewSchema.Column, MemberInfo)>();
        foreach (var c in definition)
        {
            var member = MemberBinding.Resolve<TRow>(c);
            if (schema.GetColumnOrNull(c.ColumnName) is not { } column)
            {
                if (ignoreMissingColumns)
                    continue;
                throw new ArgumentOutOfRangeException(nameof(schema),
                    $"Could not find column '{c.ColumnName}' for member '{member.Name}' of {typeof(TRow).Name}. Available columns: {schema.VisibleNames()}.");
            }
            MemberBinding.CheckCompatible(SchemaDefinition.MemberType(member), column.Type, column.Name, member.Name);
            bindings.Add((column, member));
        }
        return bindings.ToArray();
    }

    private static IEnumerable<TRow> Iterate<TRow>(IDataView data, (DataViewSchema.Column Column, MemberInfo Member)[] bindings, bool reuseRowObject)
        where TRow : class, new()
    {
        using var cursor = data.GetRowCursor(bindings.Select(b => b.Column));
        var pumps = bindings.Select(b => MemberBinding.MakePump<TRow>(cursor, b.Column, b.Member)).ToArray();
        TRow? shared = null;
        while (cursor.MoveNext())
        {
            var row = reuseRowObject ? shared ??= new TRow() : new TRow();
            foreach (var pump in pumps)
                pump(row);
            yield return row;
        }
    }
}
