namespace Vae.MLNet.Data;

/// <summary>
/// Keys: categorical values stored as unsigned integers in <c>[0, Count]</c>, where 0 means missing and
/// <c>k</c> in <c>1..Count</c> is the k-th category. Usually the raw type is <see cref="uint"/>.
/// </summary>
public sealed class KeyDataViewType : PrimitiveDataViewType
{
    /// <summary>Creates a key type of <paramref name="type"/> (byte, ushort, uint or ulong) with <paramref name="count"/> categories.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The raw type is not an unsigned integer type, or the count is 0 or too big for it.</exception>
    public KeyDataViewType(Type type, ulong count) : base(type)
    {
        if (!IsValidDataType(type))
            throw new ArgumentOutOfRangeException(nameof(type), $"A key type must be byte, ushort, uint or ulong, not {type}.");
        if (count == 0 || count > MaxCount(type))
            throw new ArgumentOutOfRangeException(nameof(count), $"A key count must be in 1..{MaxCount(type)} for {type.Name}, not {count}.");
        Count = count;
    }

    /// <summary>Creates a key type of <paramref name="type"/> with <paramref name="count"/> categories.</summary>
    public KeyDataViewType(Type type, int count) : this(type, count > 0 ? (ulong)count : 0UL)
    {
    }

    /// <summary>The number of categories; valid keys are <c>1..Count</c>, and 0 is missing.</summary>
    public ulong Count { get; }

    /// <summary>Whether <paramref name="type"/> can be the raw type of a key.</summary>
    public static bool IsValidDataType(Type type) =>
        type == typeof(byte) || type == typeof(ushort) || type == typeof(uint) || type == typeof(ulong);

    private static ulong MaxCount(Type type) =>
        type == typeof(byte) ? byte.MaxValue : type == typeof(ushort) ? ushort.MaxValue : type == typeof(uint) ? uint.MaxValue : ulong.MaxValue;

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) =>
        other is KeyDataViewType key && key.RawType == RawType && key.Count == Count;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DataViewType other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(RawType, Count);

    /// <inheritdoc/>
    public override string ToString() => $"Key<{RawType.Name}, 0-{Count - 1}>";
}
