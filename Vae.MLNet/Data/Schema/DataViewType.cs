namespace Vae.MLNet;

/// <summary>
/// The type of a column of an <see cref="IDataView"/>. Every type has a <see cref="RawType"/>: the .NET type that
/// getters deliver (for example <see cref="float"/>, <see cref="ReadOnlyMemory{T}"/> of <see cref="char"/>, or
/// <c>VBuffer&lt;float&gt;</c>).
/// </summary>
public abstract class DataViewType : IEquatable<DataViewType>
{
    /// <summary>Creates a type whose values are delivered as <paramref name="rawType"/>.</summary>
    protected DataViewType(Type rawType)
    {
        ArgumentNullException.ThrowIfNull(rawType);
        RawType = rawType;
    }

    /// <summary>The .NET type of the values of this type.</summary>
    public Type RawType { get; }

    /// <summary>Whether <paramref name="other"/> describes the same type.</summary>
    public abstract bool Equals(DataViewType? other);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DataViewType other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => RawType.GetHashCode();
}

/// <summary>A type whose values are single items (numbers, text, booleans, keys, row ids).</summary>
public abstract class PrimitiveDataViewType : DataViewType
{
    /// <summary>Creates a primitive type whose values are delivered as <paramref name="rawType"/>.</summary>
    protected PrimitiveDataViewType(Type rawType) : base(rawType)
    {
    }
}

/// <summary>A type whose values are structures made of items, such as vectors.</summary>
public abstract class StructuredDataViewType : DataViewType
{
    /// <summary>Creates a structured type whose values are delivered as <paramref name="rawType"/>.</summary>
    protected StructuredDataViewType(Type rawType) : base(rawType)
    {
    }
}
