namespace Vae.MLNet.Data;

/// <summary>Where a member's values are in a text file: one column, a range of columns, or a list of columns (0-based).</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class LoadColumnAttribute : Attribute
{
    /// <summary>The value is in column <paramref name="columnIndex"/>.</summary>
    public LoadColumnAttribute(int columnIndex) => Sources = [columnIndex];

    /// <summary>The values are in columns <paramref name="start"/> to <paramref name="end"/>, inclusive.</summary>
    public LoadColumnAttribute(int start, int end)
    {
        if (start < 0 || end < start)
            throw new ArgumentOutOfRangeException(nameof(end), $"Invalid column range {start}-{end}.");
        Sources = Enumerable.Range(start, end - start + 1).ToArray();
    }

    /// <summary>The values are in the listed columns, in that order.</summary>
    public LoadColumnAttribute(int[] columnIndexes) => Sources = (int[])columnIndexes.Clone();

    /// <summary>The source column indices, in order.</summary>
    public IReadOnlyList<int> Sources { get; }
}

/// <summary>The name of the column a member maps to (by default the member's name).</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ColumnNameAttribute : Attribute
{
    /// <summary>Maps the member to column <paramref name="name"/>.</summary>
    public ColumnNameAttribute(string name) => Name = name;

    /// <summary>The column name.</summary>
    public string Name { get; }
}

/// <summary>Declares an array or VBuffer member a vector of known dimensions.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class VectorTypeAttribute : Attribute
{
    /// <summary>A vector of unknown size.</summary>
    public VectorTypeAttribute() => Dimensions = [0];

    /// <summary>A vector of <paramref name="size"/> items.</summary>
    public VectorTypeAttribute(int size) => Dimensions = [size];

    /// <summary>A vector of the given dimensions (row-major).</summary>
    public VectorTypeAttribute(params int[] dimensions) => Dimensions = dimensions is { Length: > 0 } ? (int[])dimensions.Clone() : [0];

    /// <summary>The dimensions.</summary>
    public int[] Dimensions { get; }
}

/// <summary>Declares an unsigned integer member a key with <see cref="Count"/> categories (1..Count; 0 = missing).</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class KeyTypeAttribute : Attribute
{
    /// <summary>Keys with <paramref name="count"/> categories.</summary>
    public KeyTypeAttribute(ulong count) => Count = count;

    /// <summary>The number of categories.</summary>
    public ulong Count { get; }
}

/// <summary>Excludes a member from the schema.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class NoColumnAttribute : Attribute
{
}
