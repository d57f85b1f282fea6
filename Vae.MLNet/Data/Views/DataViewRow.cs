namespace Vae.MLNet;

/// <summary>
/// One row of data: values are read per column through getters. Only active columns can be read; a row computes
/// nothing for inactive ones.
/// </summary>
public abstract class DataViewRow : IDisposable
{
    /// <summary>The row's position in its cursor (0-based), or -1 before the first row and after the last.</summary>
    public abstract long Position { get; }

    /// <summary>Which cursor of a cursor set produced the row; rows of one batch come in increasing position order.</summary>
    public abstract long Batch { get; }

    /// <summary>The columns of the row.</summary>
    public abstract DataViewSchema Schema { get; }

    /// <summary>Whether <paramref name="column"/> can be read.</summary>
    public abstract bool IsColumnActive(DataViewSchema.Column column);

    /// <summary>The getter of <paramref name="column"/>, valid for the life of the row or cursor.</summary>
    /// <exception cref="InvalidOperationException">The column is inactive, or <typeparamref name="TValue"/> is not its raw type.</exception>
    public abstract ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column);

    /// <summary>The getter of the current row's id.</summary>
    public abstract ValueGetter<DataViewRowId> GetIdGetter();

    /// <summary>Releases what the row holds (for a cursor: its upstream cursors).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources; override to dispose upstream rows or cursors.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}

/// <summary>A row that moves forward through the rows of an <see cref="IDataView"/>.</summary>
public abstract class DataViewRowCursor : DataViewRow
{
    /// <summary>Moves to the next row; false when there is none.</summary>
    public abstract bool MoveNext();
}
