namespace Vae.MLNet.Data;

/// <summary>Reading one column of a data view as a sequence.</summary>
public static class ColumnCursorExtensions
{
    /// <summary>The values of column <paramref name="columnName"/>, read lazily with only that column active. Vectors are copied per row.</summary>
    /// <exception cref="ArgumentOutOfRangeException">There is no such column.</exception>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> is not the column's raw type.</exception>
    public static IEnumerable<T> GetColumn<T>(this IDataView data, string columnName)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.GetColumn<T>(SchemaErrors.Find(data.Schema, columnName, "requested"));
    }

    /// <summary>The values of <paramref name="column"/>, read lazily with only that column active. Vectors are copied per row.</summary>
    public static IEnumerable<T> GetColumn<T>(this IDataView data, DataViewSchema.Column column)
    {
        ArgumentNullException.ThrowIfNull(data);
        RowChecks.CheckColumn(data.Schema, column);
        if (column.Type.RawType != typeof(T))
            throw new InvalidOperationException($"Column '{column.Name}' is {column.Type} (raw type {column.Type.RawType}), not {typeof(T)}.");
        return Read<T>(data, column);
    }

    private static IEnumerable<T> Read<T>(IDataView data, DataViewSchema.Column column)
    {
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<T>(column);
        T buffer = default!;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            T copy = default!;
            ValueCopier<T>.Copy(in buffer, ref copy);
            yield return copy;
        }
    }
}
