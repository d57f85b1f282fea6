namespace Vae.MLNet.Data;

/// <summary>
/// A batch of rows stored column by column, handed to <see cref="BatchedRowMapper"/>: the input batch holds the
/// input columns the mapper reads; the output batch holds a slot per row for each active added column. Buffers are
/// reused from batch to batch, so write vectors through <see cref="VBufferEditor.Create{T}(ref VBuffer{T}, int, int?, int?, bool, bool)"/>.
/// </summary>
public sealed class RowBatch
{
    private readonly ColumnBuffer?[] _columns;

    internal RowBatch(DataViewSchema schema, bool[] active, int capacity)
    {
        Schema = schema;
        _columns = new ColumnBuffer?[schema.Count];
        for (int i = 0; i < _columns.Length; i++)
        {
            if (active[i])
                _columns[i] = ColumnBuffer.Create(schema[i].Type, capacity);
        }
    }

    /// <summary>The columns: the input schema for inputs; the added columns (index = output column index) for outputs.</summary>
    public DataViewSchema Schema { get; }

    /// <summary>The number of rows in the batch.</summary>
    public int Count { get; internal set; }

    /// <summary>Whether column <paramref name="columnIndex"/> is held in the batch.</summary>
    public bool IsColumnActive(int columnIndex) => (uint)columnIndex < (uint)_columns.Length && _columns[columnIndex] != null;

    /// <summary>The <see cref="Count"/> values of column <paramref name="columnIndex"/>.</summary>
    /// <exception cref="InvalidOperationException">The column is not held, or <typeparamref name="T"/> is not its raw type.</exception>
    public Span<T> GetColumn<T>(int columnIndex)
    {
        var column = Schema[columnIndex];
        return _columns[columnIndex] switch
        {
            ColumnBuffer<T> buffer => buffer.Data.AsSpan(0, Count),
            null => throw new InvalidOperationException($"Column '{column.Name}' is not part of this batch."),
            _ => throw new InvalidOperationException(
                $"Invalid type for batch column '{column.Name}': it holds {column.Type} ({column.Type.RawType}), but {typeof(T)} was requested."),
        };
    }

    /// <summary>The <see cref="Count"/> values of <paramref name="column"/>.</summary>
    public Span<T> GetColumn<T>(DataViewSchema.Column column)
    {
        RowChecks.CheckColumn(Schema, column);
        return GetColumn<T>(column.Index);
    }

    /// <summary>
    /// Copies the <see cref="Count"/> vectors of column <paramref name="columnIndex"/> into <paramref name="destination"/> as a
    /// row-major <c>Count × width</c> matrix (implicit sparse items as 0), the layout a network's input tensor wants.
    /// </summary>
    /// <exception cref="InvalidOperationException">A row's vector does not have <paramref name="width"/> items.</exception>
    public void CopyToDense<T>(int columnIndex, Span<T> destination, int width)
    {
        var rows = GetColumn<VBuffer<T>>(columnIndex);
        CheckMatrix(destination.Length, width);
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i].Length != width)
                throw new InvalidOperationException($"Row {i} of batch column '{Schema[columnIndex].Name}' has {rows[i].Length} items, expected {width}.");
            rows[i].CopyTo(destination.Slice(i * width, width));
        }
    }

    /// <summary>
    /// Sets the <see cref="Count"/> vectors of column <paramref name="columnIndex"/> from the rows of the row-major
    /// <c>Count × width</c> matrix <paramref name="source"/>, reusing each row's buffer.
    /// </summary>
    public void SetFromDense<T>(int columnIndex, ReadOnlySpan<T> source, int width)
    {
        var rows = GetColumn<VBuffer<T>>(columnIndex);
        CheckMatrix(source.Length, width);
        for (int i = 0; i < rows.Length; i++)
        {
            var editor = VBufferEditor.Create(ref rows[i], width);
            source.Slice(i * width, width).CopyTo(editor.Values);
            rows[i] = editor.Commit();
        }
    }

    private void CheckMatrix(int length, int width)
    {
        if (width < 0 || length < (long)Count * width)
            throw new ArgumentException($"A {Count} × {width} matrix needs {(long)Count * width} items; the span has {length}.");
    }

    internal ColumnBuffer? Buffer(int columnIndex) => _columns[columnIndex];
}
