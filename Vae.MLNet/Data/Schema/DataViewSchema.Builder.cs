namespace Vae.MLNet;

public sealed partial class DataViewSchema
{
    /// <summary>Builds a schema column by column; a later column shadows an earlier one of the same name.</summary>
    public sealed class Builder
    {
        private readonly List<DetachedColumn> _columns = [];

        /// <summary>Appends a column.</summary>
        public void AddColumn(string name, DataViewType type, Annotations? annotations = null) =>
            _columns.Add(new DetachedColumn(name, type, annotations));

        /// <summary>Appends copies of <paramref name="columns"/> (name, type and annotations).</summary>
        public void AddColumns(IEnumerable<Column> columns)
        {
            ArgumentNullException.ThrowIfNull(columns);
            foreach (var c in columns)
                _columns.Add(new DetachedColumn(c));
        }

        /// <summary>Appends <paramref name="columns"/>.</summary>
        public void AddColumns(IEnumerable<DetachedColumn> columns)
        {
            ArgumentNullException.ThrowIfNull(columns);
            _columns.AddRange(columns);
        }

        /// <summary>The schema of the columns added so far.</summary>
        public DataViewSchema ToSchema() => new(_columns.ToArray());
    }
}
