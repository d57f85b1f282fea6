using System.Collections;

namespace Vae.MLNet;

/// <summary>
/// What an estimator knows about a schema before seeing data: column names, whether each is a scalar, a vector of
/// known size or a vector of variable size, its item type, whether it holds keys, and which annotations it has.
/// </summary>
public sealed class SchemaShape : IReadOnlyList<SchemaShape.Column>
{
    private readonly Column[] _columns;

    /// <summary>A shape of <paramref name="columns"/>.</summary>
    public SchemaShape(IEnumerable<Column> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _columns = columns.ToArray();
    }

    /// <summary>The number of columns.</summary>
    public int Count => _columns.Length;

    /// <summary>The column at <paramref name="index"/>.</summary>
    public Column this[int index] => _columns[index];

    /// <summary>The shape of the visible columns of <paramref name="schema"/>.</summary>
    public static SchemaShape Create(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return new SchemaShape(schema.Where(c => !c.IsHidden).Select(c => FromColumn(c.Name, c.Type, c.Annotations)));
    }

    /// <summary>The shape of a column named <paramref name="name"/> of <paramref name="type"/> with <paramref name="annotations"/>.</summary>
    public static Column FromColumn(string name, DataViewType type, DataViewSchema.Annotations? annotations = null)
    {
        var kind = type is Data.VectorDataViewType v ? (v.IsKnownSize ? VectorKind.Vector : VectorKind.VariableVector) : VectorKind.Scalar;
        var item = type is Data.VectorDataViewType vec ? vec.ItemType : type;
        bool isKey = item is Data.KeyDataViewType;
        if (isKey)
            item = Data.NumberDataViewType.FromRawType(item.RawType)!;
        var annotationShape = annotations == null ? null
            : new SchemaShape(annotations.Schema.Where(a => !a.IsHidden).Select(a => FromColumn(a.Name, a.Type)));
        return new Column(name, kind, item, isKey, annotationShape);
    }

    /// <summary>Finds the last column named <paramref name="name"/>.</summary>
    public bool TryFindColumn(string name, out Column column)
    {
        for (int i = _columns.Length - 1; i >= 0; i--)
        {
            if (_columns[i].Name == name)
            {
                column = _columns[i];
                return true;
            }
        }
        column = default;
        return false;
    }

    /// <inheritdoc/>
    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)_columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => string.Join(", ", _columns.Select(c => $"{c.Name}: {c.GetTypeString()}"));

    /// <summary>Whether a column holds one value or a vector per row.</summary>
    public enum VectorKind
    {
        /// <summary>One value per row.</summary>
        Scalar,

        /// <summary>A vector of a size known from the schema.</summary>
        Vector,

        /// <summary>A vector whose size can vary per row.</summary>
        VariableVector,
    }

    /// <summary>The shape of one column.</summary>
    public readonly struct Column
    {
        /// <summary>Describes a column. For keys, <paramref name="itemType"/> is the key's raw number type and <paramref name="isKey"/> is true.</summary>
        public Column(string name, VectorKind vecKind, DataViewType itemType, bool isKey, SchemaShape? annotations = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            ArgumentNullException.ThrowIfNull(itemType);
            if (itemType is Data.KeyDataViewType or Data.VectorDataViewType)
                throw new ArgumentException($"The item type of column '{name}' must be a plain primitive type (use isKey for keys), not {itemType}.", nameof(itemType));
            Name = name;
            Kind = vecKind;
            ItemType = itemType;
            IsKey = isKey;
            Annotations = annotations ?? new SchemaShape([]);
        }

        /// <summary>The column's name.</summary>
        public string Name { get; }

        /// <summary>Scalar, vector of known size, or vector of variable size.</summary>
        public VectorKind Kind { get; }

        /// <summary>The type of one item (for keys, the raw number type).</summary>
        public DataViewType ItemType { get; }

        /// <summary>Whether the items are keys.</summary>
        public bool IsKey { get; }

        /// <summary>The annotations the column has.</summary>
        public SchemaShape Annotations { get; }

        /// <summary>Whether this shape was initialized (a default instance is not).</summary>
        public bool IsValid => Name != null;

        /// <summary>Whether a column of shape <paramref name="source"/> can be used where this shape is expected
        /// (a known-size vector is accepted where a variable-size one is expected).</summary>
        public bool IsCompatibleWith(Column source)
        {
            if (!source.IsValid || Name != source.Name || IsKey != source.IsKey || !ItemType.Equals(source.ItemType))
                return false;
            if (Kind == source.Kind)
                return true;
            return Kind == VectorKind.VariableVector && source.Kind == VectorKind.Vector;
        }

        /// <summary>A readable type, such as <c>Vector&lt;Single&gt;</c> or <c>Key&lt;UInt32&gt;</c>.</summary>
        public string GetTypeString()
        {
            string item = IsKey ? $"Key<{ItemType}>" : ItemType.ToString()!;
            return Kind switch
            {
                VectorKind.Scalar => item,
                VectorKind.Vector => $"Vector<{item}>",
                _ => $"VarVector<{item}>",
            };
        }

        /// <inheritdoc/>
        public override string ToString() => $"{Name}: {GetTypeString()}";
    }
}
