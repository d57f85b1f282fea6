using System.Collections;
using System.Text;

namespace Vae.MLNet;

/// <summary>
/// The columns of an <see cref="IDataView"/> or a row, in order. Several columns may share a name; then only the
/// last is visible by name and the earlier ones are hidden (<see cref="Column.IsHidden"/>) but still reachable by index.
/// </summary>
public sealed partial class DataViewSchema : IReadOnlyList<DataViewSchema.Column>
{
    private readonly Column[] _columns;
    private readonly Dictionary<string, int> _byName;

    internal DataViewSchema(IReadOnlyList<DetachedColumn> columns)
    {
        _columns = new Column[columns.Count];
        _byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < columns.Count; i++)
            _byName[columns[i].Name] = i;
        for (int i = 0; i < columns.Count; i++)
        {
            var c = columns[i];
            _columns[i] = new Column(c.Name, i, _byName[c.Name] != i, c.Type, c.Annotations);
        }
    }

    /// <summary>The number of columns, hidden ones included.</summary>
    public int Count => _columns.Length;

    /// <summary>The column at <paramref name="columnIndex"/>.</summary>
    public Column this[int columnIndex]
    {
        get
        {
            if ((uint)columnIndex >= (uint)_columns.Length)
                throw new ArgumentOutOfRangeException(nameof(columnIndex), $"Column index {columnIndex} is out of range; the schema has {_columns.Length} columns.");
            return _columns[columnIndex];
        }
    }

    /// <summary>The visible column named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No column has that name.</exception>
    public Column this[string name] =>
        GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(nameof(name), $"Column '{name}' not found. Available columns: {VisibleNames()}.");

    /// <summary>The visible column named <paramref name="name"/>, or null when there is none.</summary>
    public Column? GetColumnOrNull(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out int index) ? _columns[index] : null;
    }

    /// <inheritdoc/>
    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)_columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A schema with the given columns, in order.</summary>
    internal static DataViewSchema Create(IEnumerable<DetachedColumn> columns) => new(columns.ToArray());

    internal string VisibleNames() => string.Join(", ", _columns.Where(c => !c.IsHidden).Select(c => $"'{c.Name}'"));

    /// <summary>Whether <paramref name="column"/> belongs to a schema with the same column at the same index.</summary>
    internal bool Owns(Column column) =>
        (uint)column.Index < (uint)_columns.Length && _columns[column.Index].Name == column.Name;

    /// <inheritdoc/>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var c in _columns)
        {
            if (sb.Length > 0)
                sb.Append(", ");
            sb.Append(c.Name).Append(": ").Append(c.Type);
            if (c.IsHidden)
                sb.Append(" (hidden)");
        }
        return sb.ToString();
    }
}
