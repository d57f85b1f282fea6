using System.Buffers.Binary;
using System.Text;

namespace Vae.MLNet.Tests.Support.ModelFiles;

/// <summary>One record of a Weights.bin entry: name, dtype code, shape (as declared, unchecked) and raw item bytes.</summary>
internal sealed record WeightRecord(string Name, byte DType, long[] Shape, byte[] Data);

/// <summary>
/// Reads and writes Weights.bin entries (docs/model-format.md: "VAEW", u32 version, u32 count, records, SHA-256) without
/// validating them, to craft hostile ones; and edits the VAE's header in Model.key.
/// </summary>
internal static class WeightsEdit
{
    public static (uint Version, List<WeightRecord> Records) Parse(byte[] bytes)
    {
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4));
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        var records = new List<WeightRecord>();
        int pos = 12;
        for (int n = 0; n < count; n++)
        {
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(pos));
            string name = Encoding.UTF8.GetString(bytes, pos + 2, nameLength);
            pos += 2 + nameLength;
            byte dtype = bytes[pos];
            int rank = bytes[pos + 1];
            pos += 2;
            var shape = Enumerable.Range(0, rank).Select(i => BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(pos + 8 * i))).ToArray();
            pos += 8 * rank;
            int length = (int)shape.Aggregate(1L, (a, b) => a * b) * (dtype == 2 ? 8 : 4);
            records.Add(new WeightRecord(name, dtype, shape, bytes[pos..(pos + length)]));
            pos += length;
        }
        return (version, records);
    }

    /// <summary>
    /// The records as a Weights.bin entry, with its SHA-256 digest repaired unless <paramref name="digest"/> is false;
    /// <paramref name="count"/> and <paramref name="version"/> may lie.
    /// </summary>
    public static byte[] Write(IReadOnlyCollection<WeightRecord> records, uint? count = null, uint version = 2, string magic = "VAEW", bool digest = true)
    {
        using var output = new MemoryStream();
        Span<byte> buffer = stackalloc byte[8];
        output.Write(Encoding.ASCII.GetBytes(magic));
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, version);
        output.Write(buffer[..4]);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, count ?? (uint)records.Count);
        output.Write(buffer[..4]);
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
        if (digest)
            output.Write(System.Security.Cryptography.SHA256.HashData(output.ToArray()));
        return output.ToArray();
    }

    /// <summary>The model with the VAE's weight records changed by <paramref name="edit"/> (the count follows the list).</summary>
    public static byte[] EditRecords(byte[] model, Action<List<WeightRecord>> edit) =>
        ModelZip.EditVaeEntry(model, ModelZip.Weights, bytes =>
        {
            var (_, records) = Parse(bytes);
            edit(records);
            return Write(records);
        });

    /// <summary>Where ML.NET's header in Model.key holds the model signature "VAETRANS"; the two u32 versions follow it.</summary>
    public static int SignatureOffset(byte[] header)
    {
        int at = header.AsSpan().IndexOf("VAETRANS"u8);
        return at >= 0 ? at : throw new InvalidOperationException("no VAETRANS signature in the header");
    }

    /// <summary>The offset of the VAE's model stream in Model.key (ML.NET's header field FpModel, at 0x10), where our u32 weight count sits.</summary>
    public static int ModelStreamOffset(byte[] header) => (int)BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(0x10));

    /// <summary>The model with the VAE's Model.key changed in place by <paramref name="edit"/>.</summary>
    public static byte[] EditHeader(byte[] model, Action<byte[]> edit) =>
        ModelZip.EditVaeEntry(model, ModelZip.Header, bytes =>
        {
            var copy = (byte[])bytes.Clone();
            edit(copy);
            return copy;
        });
}
