namespace Vae.MLNet;

/// <summary>
/// A 128-bit row identifier. Sources number their rows; transforms that make several rows from one, or mix rows,
/// derive new ids with <see cref="Fork"/>, <see cref="Next"/> and <see cref="Combine"/>.
/// </summary>
public readonly struct DataViewRowId : IEquatable<DataViewRowId>, IComparable<DataViewRowId>
{
    /// <summary>The low 64 bits.</summary>
    public readonly ulong Low;

    /// <summary>The high 64 bits.</summary>
    public readonly ulong High;

    /// <summary>Creates an id from its two halves.</summary>
    public DataViewRowId(ulong low, ulong high)
    {
        Low = low;
        High = high;
    }

    /// <summary>A different, deterministic id derived from this one.</summary>
    public DataViewRowId Fork() => new(Mix(Low ^ 0x9E3779B97F4A7C15UL), Mix(High + 0xBF58476D1CE4E5B9UL));

    /// <summary>The id after this one (128-bit increment).</summary>
    public DataViewRowId Next() => Low == ulong.MaxValue ? new(0, High + 1) : new(Low + 1, High);

    /// <summary>A deterministic id that depends on both this id and <paramref name="other"/>.</summary>
    public DataViewRowId Combine(DataViewRowId other) =>
        new(Mix(Low ^ Mix(other.Low + 0x94D049BB133111EBUL)), Mix(High ^ Mix(other.High + 0x2545F4914F6CDD1DUL)));

    // SplitMix64's finalizer: a cheap bijective mixer.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <inheritdoc/>
    public bool Equals(DataViewRowId other) => Low == other.Low && High == other.High;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DataViewRowId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Low, High);

    /// <inheritdoc/>
    public int CompareTo(DataViewRowId other) => High != other.High ? High.CompareTo(other.High) : Low.CompareTo(other.Low);

    /// <summary>Whether two ids are equal.</summary>
    public static bool operator ==(DataViewRowId left, DataViewRowId right) => left.Equals(right);

    /// <summary>Whether two ids differ.</summary>
    public static bool operator !=(DataViewRowId left, DataViewRowId right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => $"{High:X16}{Low:X16}";
}
