namespace Vae.MLNet;

public sealed partial class DataViewSchema
{
    /// <summary>A column of a schema: its name, position, type, visibility and annotations.</summary>
    public readonly struct Column
    {
        internal Column(string name, int index, bool isHidden, DataViewType type, Annotations? annotations)
        {
            Name = name;
            Index = index;
            IsHidden = isHidden;
            Type = type;
            Annotations = annotations ?? Annotations.Empty;
        }

        /// <summary>The column's name.</summary>
        public string Name { get; }

        /// <summary>The column's position in its schema.</summary>
        public int Index { get; }

        /// <summary>Whether a later column of the same name shadows this one.</summary>
        public bool IsHidden { get; }

        /// <summary>The type of the column's values.</summary>
        public DataViewType Type { get; }

        /// <summary>Extra information attached to the column, such as slot names or key values.</summary>
        public Annotations Annotations { get; }

        /// <inheritdoc/>
        public override string ToString() => $"{Name} ({Index}): {Type}{(IsHidden ? " (hidden)" : "")}";
    }

    /// <summary>A column description not tied to a schema: what a mapper declares for the columns it adds.</summary>
    public readonly struct DetachedColumn
    {
        /// <summary>Describes a column named <paramref name="name"/> of <paramref name="type"/>.</summary>
        public DetachedColumn(string name, DataViewType type, Annotations? annotations = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            ArgumentNullException.ThrowIfNull(type);
            Name = name;
            Type = type;
            Annotations = annotations ?? Annotations.Empty;
        }

        /// <summary>Copies the name, type and annotations of <paramref name="column"/>.</summary>
        public DetachedColumn(Column column) : this(column.Name, column.Type, column.Annotations)
        {
        }

        /// <summary>The column's name.</summary>
        public string Name { get; }

        /// <summary>The type of the column's values.</summary>
        public DataViewType Type { get; }

        /// <summary>Extra information attached to the column.</summary>
        public Annotations Annotations { get; }
    }
}
