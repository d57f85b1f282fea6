namespace Vae.MLNet.Data;

/// <summary>The numeric column types. Each is a singleton, so instances compare by reference.</summary>
public sealed class NumberDataViewType : PrimitiveDataViewType
{
    private readonly string _name;

    private NumberDataViewType(Type rawType, string name) : base(rawType) => _name = name;

    /// <summary>Signed 8-bit integers (<see cref="sbyte"/>).</summary>
    public static NumberDataViewType SByte { get; } = new(typeof(sbyte), "SByte");

    /// <summary>Unsigned 8-bit integers (<see cref="byte"/>).</summary>
    public static NumberDataViewType Byte { get; } = new(typeof(byte), "Byte");

    /// <summary>Signed 16-bit integers (<see cref="short"/>).</summary>
    public static NumberDataViewType Int16 { get; } = new(typeof(short), "Int16");

    /// <summary>Unsigned 16-bit integers (<see cref="ushort"/>).</summary>
    public static NumberDataViewType UInt16 { get; } = new(typeof(ushort), "UInt16");

    /// <summary>Signed 32-bit integers (<see cref="int"/>).</summary>
    public static NumberDataViewType Int32 { get; } = new(typeof(int), "Int32");

    /// <summary>Unsigned 32-bit integers (<see cref="uint"/>).</summary>
    public static NumberDataViewType UInt32 { get; } = new(typeof(uint), "UInt32");

    /// <summary>Signed 64-bit integers (<see cref="long"/>).</summary>
    public static NumberDataViewType Int64 { get; } = new(typeof(long), "Int64");

    /// <summary>Unsigned 64-bit integers (<see cref="ulong"/>).</summary>
    public static NumberDataViewType UInt64 { get; } = new(typeof(ulong), "UInt64");

    /// <summary>32-bit floating point numbers (<see cref="float"/>); NaN marks a missing value.</summary>
    public static NumberDataViewType Single { get; } = new(typeof(float), "Single");

    /// <summary>64-bit floating point numbers (<see cref="double"/>); NaN marks a missing value.</summary>
    public static NumberDataViewType Double { get; } = new(typeof(double), "Double");

    internal static IReadOnlyList<NumberDataViewType> All { get; } =
        [SByte, Byte, Int16, UInt16, Int32, UInt32, Int64, UInt64, Single, Double];

    /// <summary>The number type whose raw type is <paramref name="rawType"/>, or null.</summary>
    internal static NumberDataViewType? FromRawType(Type rawType)
    {
        foreach (var type in All)
        {
            if (type.RawType == rawType)
                return type;
        }
        return null;
    }

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    /// <inheritdoc/>
    public override int GetHashCode() => RawType.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => _name;
}
