using System.Collections.Immutable;

namespace Vae.MLNet.Data;

/// <summary>
/// Vectors of a primitive item type, delivered as <see cref="VBuffer{T}"/>. The size is known (all dimensions
/// positive) or unknown (a dimension of 0), in which case rows may hold vectors of different lengths.
/// </summary>
public sealed class VectorDataViewType : StructuredDataViewType
{
    /// <summary>Creates a vector type of <paramref name="itemType"/> with <paramref name="size"/> items (0 = unknown).</summary>
    public VectorDataViewType(PrimitiveDataViewType itemType, int size = 0)
        : this(itemType, ImmutableArray.Create(size))
    {
    }

    /// <summary>Creates a vector type of <paramref name="itemType"/> with the given dimensions (a 0 makes the size unknown).</summary>
    public VectorDataViewType(PrimitiveDataViewType itemType, params int[] dimensions)
        : this(itemType, dimensions is { Length: > 0 } ? ImmutableArray.Create(dimensions) : ImmutableArray.Create(0))
    {
    }

    /// <summary>Creates a vector type of <paramref name="itemType"/> with the given dimensions (a 0 makes the size unknown).</summary>
    public VectorDataViewType(PrimitiveDataViewType itemType, ImmutableArray<int> dimensions)
        : base(MakeRawType(itemType))
    {
        if (dimensions.IsDefaultOrEmpty)
            dimensions = [0];
        long size = 1;
        foreach (int d in dimensions)
        {
            if (d < 0)
                throw new ArgumentOutOfRangeException(nameof(dimensions), $"Vector dimensions must be non-negative, got [{string.Join(", ", dimensions)}].");
            size *= d;
            if (size > int.MaxValue)
                throw new ArgumentOutOfRangeException(nameof(dimensions), $"Vector size [{string.Join(", ", dimensions)}] exceeds {int.MaxValue} items.");
        }
        ItemType = itemType;
        Dimensions = dimensions;
        Size = (int)size;
    }

    private static Type MakeRawType(PrimitiveDataViewType itemType)
    {
        ArgumentNullException.ThrowIfNull(itemType);
        return typeof(VBuffer<>).MakeGenericType(itemType.RawType);
    }

    /// <summary>The type of the items.</summary>
    public PrimitiveDataViewType ItemType { get; }

    /// <summary>The dimensions; the values are laid out row-major. A 0 means that dimension is unknown.</summary>
    public ImmutableArray<int> Dimensions { get; }

    /// <summary>The number of items, or 0 when the size is unknown.</summary>
    public int Size { get; }

    /// <summary>Whether all vectors of this type have <see cref="Size"/> items.</summary>
    public bool IsKnownSize => Size > 0;

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) =>
        other is VectorDataViewType v && v.ItemType.Equals(ItemType) && v.Dimensions.SequenceEqual(Dimensions);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DataViewType other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ItemType, Size, Dimensions.Length);

    /// <inheritdoc/>
    public override string ToString() =>
        IsKnownSize ? $"Vector<{ItemType}, {string.Join(", ", Dimensions)}>" : $"Vector<{ItemType}>";
}
