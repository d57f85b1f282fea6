using System.Collections.Immutable;

namespace Vae.MLNet.Data;

/// <summary>The first rows of a data view, materialized for inspection in a debugger.</summary>
public sealed class DataDebuggerPreview
{
    internal DataDebuggerPreview(IDataView data, int maxRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRows);
        Schema = data.Schema;
        var columns = Schema.Select(_ => new List<object>()).ToArray();
        var rows = new List<RowInfo>();
        using (var cursor = data.GetRowCursor(Schema))
        {
            var readers = Schema.Select(c => Generic.Invoke<Func<object>>(new Func<DataViewRow, DataViewSchema.Column, Func<object>>(Reader<int>), c.Type.RawType, cursor, c)).ToArray();
            while (rows.Count < maxRows && cursor.MoveNext())
            {
                var values = new KeyValuePair<string, object>[readers.Length];
                for (int i = 0; i < readers.Length; i++)
                {
                    var value = readers[i]();
                    values[i] = new KeyValuePair<string, object>(Schema[i].Name, value);
                    columns[i].Add(value);
                }
                rows.Add(new RowInfo(values));
            }
        }
        ColumnView = Schema.Select((c, i) => new ColumnInfo(c, columns[i].ToArray())).ToImmutableArray();
        RowView = rows.ToImmutableArray();
    }

    // Each value is a fresh copy (vectors included), so the preview does not change as buffers are reused.
    private static Func<object> Reader<T>(DataViewRow row, DataViewSchema.Column column)
    {
        var getter = row.GetGetter<T>(column);
        return () =>
        {
            T value = default!;
            getter(ref value);
            return value!;
        };
    }

    /// <summary>The schema of the data.</summary>
    public DataViewSchema Schema { get; }

    /// <summary>The values column by column.</summary>
    public ImmutableArray<ColumnInfo> ColumnView { get; }

    /// <summary>The values row by row.</summary>
    public ImmutableArray<RowInfo> RowView { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Schema.Count} columns, {RowView.Length} rows";

    /// <summary>The previewed values of one column.</summary>
    public sealed class ColumnInfo
    {
        internal ColumnInfo(DataViewSchema.Column column, object[] values)
        {
            Column = column;
            Values = values;
        }

        /// <summary>The column.</summary>
        public DataViewSchema.Column Column { get; }

        /// <summary>Its values, one per previewed row.</summary>
        public object[] Values { get; }

        /// <inheritdoc/>
        public override string ToString() => $"{Column.Name}: {Values.Length} values";
    }

    /// <summary>The previewed values of one row.</summary>
    public sealed class RowInfo
    {
        internal RowInfo(KeyValuePair<string, object>[] values) => Values = values;

        /// <summary>The (column name, value) pairs, in schema order.</summary>
        public KeyValuePair<string, object>[] Values { get; }

        /// <inheritdoc/>
        public override string ToString() => string.Join(", ", Values.Select(v => $"{v.Key}: {v.Value}"));
    }
}
