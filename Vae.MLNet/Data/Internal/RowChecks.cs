namespace Vae.MLNet.Data;

/// <summary>The checks every row and cursor of the library makes before handing out a getter.</summary>
internal static class RowChecks
{
    /// <summary>Throws unless <paramref name="column"/> is a column of <paramref name="schema"/>.</summary>
    public static void CheckColumn(DataViewSchema schema, DataViewSchema.Column column)
    {
        if (!schema.Owns(column))
            throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' (index {column.Index}) does not belong to this row's schema ({schema}).");
    }

    /// <summary><paramref name="getter"/> as a getter of <typeparamref name="TValue"/>, or the exception that names the column and both types.</summary>
    public static ValueGetter<TValue> Cast<TValue>(Delegate? getter, DataViewSchema.Column column)
    {
        if (getter is ValueGetter<TValue> typed)
            return typed;
        if (typeof(TValue) != column.Type.RawType)
            throw new InvalidOperationException(
                $"Invalid TValue in GetGetter for column '{column.Name}': the column is {column.Type} (raw type {column.Type.RawType}), but a getter of {typeof(TValue)} was requested.");
        if (getter == null)
            throw new InvalidOperationException($"Column '{column.Name}' is not active; include it in the columns needed when creating the cursor.");
        throw new InvalidOperationException($"The getter of column '{column.Name}' has type {getter.GetType()}, not ValueGetter<{typeof(TValue)}>.");
    }

    /// <summary>
    /// The getter of a mapped row's column: the input row's own for an active input column, else the added column's
    /// (columns past the input's), or a clear error for an inactive one.
    /// </summary>
    public static ValueGetter<TValue> InputOrAdded<TValue>(DataViewRow input, bool[] active, Delegate?[] added, DataViewSchema.Column column)
    {
        int n = input.Schema.Count;
        if (column.Index < n && active[column.Index])
            return input.GetGetter<TValue>(input.Schema[column.Index]);
        return Cast<TValue>(column.Index < n ? null : added[column.Index - n], column);
    }

    /// <summary>Flags per column of <paramref name="schema"/>: whether it is in <paramref name="columns"/>.</summary>
    public static bool[] ActiveFlags(DataViewSchema schema, IEnumerable<DataViewSchema.Column> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var active = new bool[schema.Count];
        foreach (var c in columns)
        {
            CheckColumn(schema, c);
            active[c.Index] = true;
        }
        return active;
    }

    /// <summary>The columns of <paramref name="schema"/> flagged in <paramref name="active"/>.</summary>
    public static IEnumerable<DataViewSchema.Column> Columns(DataViewSchema schema, bool[] active)
    {
        for (int i = 0; i < active.Length; i++)
        {
            if (active[i])
                yield return schema[i];
        }
    }

    /// <summary>The getter of <paramref name="column"/> as an untyped delegate (a <c>ValueGetter</c> of its raw type).</summary>
    public static Delegate UntypedGetter(DataViewRow row, DataViewSchema.Column column) =>
        Generic.Invoke<Delegate>(new Func<DataViewRow, DataViewSchema.Column, Delegate>(TypedGetter<int>), column.Type.RawType, row, column);

    private static Delegate TypedGetter<T>(DataViewRow row, DataViewSchema.Column column) => row.GetGetter<T>(column);
}
