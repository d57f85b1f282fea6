using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Vae.MLNet;

/// <summary>
/// The binary layout of a component's arrays (arrays.bin): the magic "VMLA", then records of
/// u16 name length, UTF-8 name, u8 dtype, u8 rank, rank × i64 dimensions, and the items little-endian.
/// </summary>
internal static class ArrayCodec
{
    public static ReadOnlySpan<byte> Magic => "VMLA"u8;
    public const int MaxRank = 8;

    /// <summary>The dtype codes and names, by element type.</summary>
    public static (byte Code, string Name, int Size) DType(Type t) =>
        t == typeof(float) ? ((byte)1, "float32", 4)
        : t == typeof(double) ? ((byte)2, "float64", 8)
        : t == typeof(int) ? ((byte)3, "int32", 4)
        : t == typeof(long) ? ((byte)4, "int64", 8)
        : t == typeof(byte) ? ((byte)5, "uint8", 1)
        : throw new NotSupportedException($"Arrays of {t} cannot be stored; use float, double, int, long or byte.");

    public static string DTypeName(byte code) => code switch
    {
        1 => "float32", 2 => "float64", 3 => "int32", 4 => "int64", 5 => "uint8", _ => $"unknown dtype {code}",
    };

    private static int DTypeSize(byte code) => code switch { 1 or 3 => 4, 2 or 4 => 8, 5 => 1, _ => 0 };

    /// <summary>Appends one record to <paramref name="output"/>.</summary>
    public static void Write<T>(Stream output, string name, ReadOnlySpan<T> data, ReadOnlySpan<int> shape) where T : unmanaged
    {
        var (code, _, _) = DType(typeof(T));
        if (shape.Length > MaxRank)
            throw new ArgumentException($"Array '{name}' has rank {shape.Length}; at most {MaxRank} is supported.", nameof(shape));
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0)
                throw new ArgumentException($"Array '{name}' has a negative dimension in shape [{string.Join(", ", shape.ToArray())}].", nameof(shape));
            count *= d;
        }
        if (count != data.Length)
            throw new ArgumentException($"Array '{name}' has {data.Length} items but shape [{string.Join(", ", shape.ToArray())}] needs {count}.", nameof(shape));
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Model files are little-endian; big-endian machines are not supported.");

        var nameBytes = Encoding.UTF8.GetBytes(name);
        Span<byte> header = stackalloc byte[2 + 1 + 1 + 8 * MaxRank];
        BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)nameBytes.Length);
        output.Write(header[..2]);
        output.Write(nameBytes);
        header[0] = code;
        header[1] = (byte)shape.Length;
        for (int i = 0; i < shape.Length; i++)
            BinaryPrimitives.WriteInt64LittleEndian(header.Slice(2 + 8 * i), shape[i]);
        output.Write(header[..(2 + 8 * shape.Length)]);
        output.Write(MemoryMarshal.AsBytes(data));
    }

    /// <summary>Where an array's bytes lie inside the entry.</summary>
    public readonly record struct Entry(string Name, byte DType, int[] Shape, int Offset, int Length);

    /// <summary>Indexes the records of <paramref name="bytes"/>, checking every declared size against the bytes present.</summary>
    /// <exception cref="InvalidDataException">The layout is broken or a size exceeds what is there.</exception>
    public static Dictionary<string, Entry> Index(byte[] bytes, string where)
    {
        if (bytes.Length < 4 || !bytes.AsSpan(0, 4).SequenceEqual(Magic))
            throw new InvalidDataException($"{where}: not an arrays file (missing 'VMLA' header).");
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        int pos = 4;
        while (pos < bytes.Length)
        {
            int lengthPos = Need(bytes, ref pos, 2, where, "name length");
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(lengthPos));
            int namePos = Need(bytes, ref pos, nameLength, where, "name");
            string name = Encoding.UTF8.GetString(bytes, namePos, nameLength);
            int typePos = Need(bytes, ref pos, 2, where, $"dtype of array '{name}'");
            byte dtype = bytes[typePos];
            int rank = bytes[typePos + 1];
            int itemSize = DTypeSize(dtype);
            if (itemSize == 0)
                throw new InvalidDataException($"{where}: array '{name}' has unknown dtype code {dtype}.");
            if (rank > MaxRank)
                throw new InvalidDataException($"{where}: array '{name}' declares rank {rank}; at most {MaxRank} is allowed.");
            var shape = new int[rank];
            long count = 1;
            int dimsPos = Need(bytes, ref pos, 8 * rank, where, $"shape of array '{name}'");
            for (int i = 0; i < rank; i++)
            {
                long d = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(dimsPos + 8 * i));
                if (d < 0 || d > int.MaxValue)
                    throw new InvalidDataException($"{where}: array '{name}' declares dimension {d}.");
                shape[i] = (int)d;
                count = count > 0 && d > long.MaxValue / count ? long.MaxValue : count * d;
            }
            long byteLength = count > long.MaxValue / itemSize ? long.MaxValue : count * itemSize;
            if (byteLength > bytes.Length - pos)
                throw new InvalidDataException(
                    $"{where}: array '{name}' declares shape [{string.Join(", ", shape)}] ({DTypeName(dtype)}, {byteLength} bytes) but only {bytes.Length - pos} bytes remain.");
            if (!entries.TryAdd(name, new Entry(name, dtype, shape, pos, (int)byteLength)))
                throw new InvalidDataException($"{where}: array '{name}' appears twice.");
            pos += (int)byteLength;
        }
        return entries;
    }

    private static int Need(byte[] bytes, ref int pos, int count, string where, string what)
    {
        if (count > bytes.Length - pos)
            throw new InvalidDataException($"{where}: truncated while reading the {what} at byte {pos}.");
        int start = pos;
        pos += count;
        return start;
    }

    /// <summary>Copies the items of <paramref name="entry"/> into a new array, checking the dtype.</summary>
    public static T[] Read<T>(byte[] bytes, Entry entry, string where) where T : unmanaged
    {
        var (code, dtypeName, size) = DType(typeof(T));
        if (entry.DType != code)
            throw new InvalidDataException($"{where}: array '{entry.Name}' is {DTypeName(entry.DType)}, but {dtypeName} was expected.");
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Model files are little-endian; big-endian machines are not supported.");
        var result = new T[entry.Length / size];
        bytes.AsSpan(entry.Offset, entry.Length).CopyTo(MemoryMarshal.AsBytes(result.AsSpan()));
        return result;
    }
}
