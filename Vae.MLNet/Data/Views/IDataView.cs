namespace Vae.MLNet;

/// <summary>
/// A lazy table: a <see cref="Schema"/> and cursors over its rows. Creating or transforming a view reads nothing;
/// rows are computed as a cursor moves, and only for the columns it activates.
/// </summary>
public interface IDataView
{
    /// <summary>Whether cursors can visit the rows in a random order (see <see cref="GetRowCursor"/>).</summary>
    bool CanShuffle { get; }

    /// <summary>The columns.</summary>
    DataViewSchema Schema { get; }

    /// <summary>The number of rows when known without reading the data, otherwise null.</summary>
    long? GetRowCount();

    /// <summary>A cursor computing only <paramref name="columnsNeeded"/>; when <paramref name="rand"/> is given and
    /// <see cref="CanShuffle"/> holds, rows come in an order drawn from it.</summary>
    DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null);

    /// <summary>Up to <paramref name="n"/> cursors that together visit every row once, for parallel reading.</summary>
    DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null);
}
