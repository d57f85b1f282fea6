using FsCheck;
using FsCheck.Fluent;

namespace Vae.MLNet.Tests.Support.ModelFiles;

/// <summary>The kinds of byte-level damage a file can take.</summary>
internal enum ByteEditKind
{
    FlipBit,
    SetByte,
    Delete,
    Insert,
    Truncate,
    Duplicate,
}

/// <summary>One byte-level edit; <see cref="At"/> is a fraction of the length so an edit applies to any file.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="At">Where, as a fraction of the file's length in [0, 1).</param>
/// <param name="Value">The bit (0-7) to flip, the byte to set or insert.</param>
/// <param name="Length">How many bytes to delete, insert or duplicate.</param>
internal sealed record ByteEdit(ByteEditKind Kind, double At, byte Value, int Length)
{
    // Digits included: a run of them can turn "HiddenDimensions": [4] into a network of gigabytes, which the loader
    // must refuse from the weights present before building it (see VaeModelFileBugTests).
    private static readonly byte[] _insertable = [.. "{}[]\",:-.eEntfalsru \\/'\t\n09"u8, 0x00, 0x7F, 0x80, 0xC3, 0xFF, 0xFE, 0x01, 0x1F];

    public static Gen<ByteEdit> Any { get; } =
        from kind in Gen.Elements(Enum.GetValues<ByteEditKind>())
        from at in Gen.Choose(0, 1_000_000).Select(i => i / 1_000_001.0)
        from value in Gen.Choose(0, 255).Select(i => (byte)i)
        from length in Gen.Frequency((4, Gen.Choose(1, 4)), (1, Gen.Choose(5, 300)))
        select new ByteEdit(kind, at, value, length);

    /// <summary>One to three edits.</summary>
    public static Gen<ByteEdit[]> Several { get; } = Gen.Choose(1, 3).SelectMany(n => Any.ArrayOf(n));

    public byte[] Apply(byte[] bytes)
    {
        if (bytes.Length == 0)
            return Kind == ByteEditKind.Insert ? Enumerable.Repeat(Inserted, Length).ToArray() : bytes;
        int at = (int)(At * bytes.Length);
        int length = Math.Min(Length, bytes.Length - at);
        var result = bytes.ToList();
        switch (Kind)
        {
            case ByteEditKind.FlipBit: result[at] ^= (byte)(1 << (Value % 8)); break;
            case ByteEditKind.SetByte: result[at] = Value; break;
            case ByteEditKind.Delete: result.RemoveRange(at, length); break;
            case ByteEditKind.Insert: result.InsertRange(at, Enumerable.Repeat(Inserted, Length)); break;
            case ByteEditKind.Truncate: result.RemoveRange(at, bytes.Length - at); break;
            case ByteEditKind.Duplicate: result.InsertRange(at, bytes.Skip(at).Take(length)); break;
        }
        return result.ToArray();
    }

    public static byte[] ApplyAll(byte[] bytes, IEnumerable<ByteEdit> edits) => edits.Aggregate(bytes, (b, e) => e.Apply(b));

    private byte Inserted => _insertable[Value % _insertable.Length];

    public override string ToString() => $"{Kind}@{At:F4}(value {Value}, length {Length})";
}
