using System.Buffers.Binary;
using System.Text;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>One record of an arrays.bin entry: name, dtype code, shape (as declared, unchecked) and raw item bytes.</summary>
internal sealed record ArrayRecord(string Name, byte DType, long[] Shape, byte[] Data);

/// <summary>Reads and writes arrays.bin entries (docs/model-format.md) without validating them, to craft hostile ones.</summary>
internal static class ArraysFile
{
    public static List<ArrayRecord> Parse(byte[] bytes)
    {
        var records = new List<ArrayRecord>();
        int pos = 4;
        while (pos < bytes.Length)
        {
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(pos));
            string name = Encoding.UTF8.GetString(bytes, pos + 2, nameLength);
            pos += 2 + nameLength;
            byte dtype = bytes[pos];
            int rank = bytes[pos + 1];
            pos += 2;
            var shape = Enumerable.Range(0, rank).Select(i => BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(pos + 8 * i))).ToArray();
            pos += 8 * rank;
            int length = (int)shape.Aggregate(1L, (a, b) => a * b) * (dtype is 2 or 4 ? 8 : dtype == 5 ? 1 : 4);
            records.Add(new ArrayRecord(name, dtype, shape, bytes[pos..(pos + length)]));
            pos += length;
        }
        return records;
    }

    public static byte[] Write(IEnumerable<ArrayRecord> records)
    {
        using var output = new MemoryStream();
        output.Write("VMLA"u8);
        Span<byte> buffer = stackalloc byte[8];
        foreach (var r in records)
        {
            var name = Encoding.UTF8.GetBytes(r.Name);
            BinaryPrimitives.WriteUInt16LittleEndian(buffer, (ushort)name.Length);
            output.Write(buffer[..2]);
            output.Write(name);
            output.WriteByte(r.DType);
            output.WriteByte((byte)r.Shape.Length);
            foreach (long d in r.Shape)
            {
                BinaryPrimitives.WriteInt64LittleEndian(buffer, d);
                output.Write(buffer);
            }
            output.Write(r.Data);
        }
        return output.ToArray();
    }
}
