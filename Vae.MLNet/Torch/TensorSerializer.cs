using System.Text;

namespace Vae.MLNet.Torch;

/// <summary>
/// Reads and writes named tensors in a plain little-endian layout: "VAET", version, count, then per tensor its name,
/// dtype, shape and raw data. Reading treats the bytes as untrusted: every declared size is checked before allocating.
/// </summary>
public static class TensorSerializer
{
    private static readonly byte[] Magic = "VAET"u8.ToArray();
    private const int Version = 1;
    private const int MaxDimensions = 16;
    private const int MaxNameBytes = 4096;

    /// <summary>Writes the tensors (moved to the CPU) in name order.</summary>
    public static void Write(Stream stream, IReadOnlyDictionary<string, torch.Tensor> tensors)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(tensors.Count);
        foreach (var (name, tensor) in tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            byte[] nameBytes = Encoding.UTF8.GetBytes(name);
            writer.Write(nameBytes.Length);
            writer.Write(nameBytes);
            using var scope = torch.NewDisposeScope();
            var cpu = tensor.detach().cpu().contiguous();
            long[] shape = cpu.shape;
            writer.Write((int)cpu.dtype);
            writer.Write(shape.Length);
            foreach (long s in shape) writer.Write(s);
            byte[] data = RawBytes(cpu);
            writer.Write((long)data.Length);
            writer.Write(data);
        }
    }

    /// <summary>Reads tensors written by <see cref="Write"/>; they belong to the current dispose scope.</summary>
    public static Dictionary<string, torch.Tensor> Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        long Remaining() => stream.CanSeek ? stream.Length - stream.Position : long.MaxValue;
        try
        {
            if (!reader.ReadBytes(4).AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("Not a tensor file: the header is not 'VAET'.");
            int version = reader.ReadInt32();
            if (version != Version) throw new InvalidDataException($"Tensor file version {version} is not supported (expected {Version}).");
            int count = reader.ReadInt32();
            if (count < 0) throw new InvalidDataException($"Tensor file declares {count} tensors.");
            var result = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
            for (int i = 0; i < count; i++)
            {
                int nameLength = reader.ReadInt32();
                if (nameLength is < 1 or > MaxNameBytes || nameLength > Remaining())
                    throw new InvalidDataException($"Tensor {i} declares a name of {nameLength} bytes.");
                string name = Encoding.UTF8.GetString(reader.ReadBytes(nameLength));
                var dtype = (torch.ScalarType)reader.ReadInt32();
                int elementSize = ElementSize(dtype, name);
                int ndim = reader.ReadInt32();
                if (ndim is < 0 or > MaxDimensions) throw new InvalidDataException($"Tensor '{name}' declares {ndim} dimensions.");
                var shape = new long[ndim];
                long elements = 1;
                for (int d = 0; d < ndim; d++)
                {
                    shape[d] = reader.ReadInt64();
                    if (shape[d] < 0 || (shape[d] > 0 && elements > long.MaxValue / shape[d] / elementSize))
                        throw new InvalidDataException($"Tensor '{name}' declares an invalid shape.");
                    elements *= shape[d];
                }
                long byteLength = reader.ReadInt64();
                if (byteLength != elements * elementSize)
                    throw new InvalidDataException($"Tensor '{name}' of shape {torch.Tensor.ShapeString(shape)} and dtype {dtype} declares {byteLength} bytes; it needs {elements * elementSize}.");
                if (byteLength > Remaining() || byteLength > Array.MaxLength)
                    throw new InvalidDataException($"Tensor '{name}' declares {byteLength} bytes but only {Remaining()} remain.");
                byte[] data = reader.ReadBytes((int)byteLength);
                if (data.Length != byteLength) throw new EndOfStreamException($"Tensor '{name}' is truncated.");
                if (!result.TryAdd(name, FromBytes(data, dtype, shape))) throw new InvalidDataException($"Tensor '{name}' appears twice.");
            }
            return result;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The tensor data ends early (truncated file).", e);
        }
    }

    private static int ElementSize(torch.ScalarType dtype, string name) => dtype switch
    {
        torch.ScalarType.Float32 or torch.ScalarType.Int32 => 4,
        torch.ScalarType.Float64 or torch.ScalarType.Int64 => 8,
        torch.ScalarType.Byte or torch.ScalarType.Int8 or torch.ScalarType.Bool => 1,
        torch.ScalarType.Int16 => 2,
        _ => throw new InvalidDataException($"Tensor '{name}' has unsupported dtype {(int)dtype}."),
    };

    private static byte[] RawBytes(torch.Tensor cpu)
    {
        switch (cpu.dtype)
        {
            case torch.ScalarType.Float32: return ToBytes(cpu.data<float>().ToArray());
            case torch.ScalarType.Float64: return ToBytes(cpu.data<double>().ToArray());
            case torch.ScalarType.Int64: return ToBytes(cpu.data<long>().ToArray());
            case torch.ScalarType.Int32: return ToBytes(cpu.data<int>().ToArray());
            case torch.ScalarType.Int16: return ToBytes(cpu.data<short>().ToArray());
            case torch.ScalarType.Int8: return ToBytes(cpu.data<sbyte>().ToArray());
            case torch.ScalarType.Byte: return cpu.data<byte>().ToArray();
            case torch.ScalarType.Bool: return ToBytes(cpu.data<bool>().ToArray());
            default: throw new NotSupportedException($"Saving tensors of dtype {cpu.dtype} is not supported.");
        }
    }

    private static byte[] ToBytes<T>(T[] values) where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Big-endian hosts are not supported.");
        return System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
    }

    private static torch.Tensor FromBytes(byte[] data, torch.ScalarType dtype, long[] shape) => dtype switch
    {
        torch.ScalarType.Float32 => torch.from_span<float>(Cast<float>(data), shape),
        torch.ScalarType.Float64 => torch.from_span<double>(Cast<double>(data), shape),
        torch.ScalarType.Int64 => torch.from_span<long>(Cast<long>(data), shape),
        torch.ScalarType.Int32 => torch.from_span<int>(Cast<int>(data), shape),
        torch.ScalarType.Int16 => torch.from_span<short>(Cast<short>(data), shape),
        torch.ScalarType.Int8 => torch.from_span<sbyte>(Cast<sbyte>(data), shape),
        torch.ScalarType.Byte => torch.from_span<byte>(data, shape),
        torch.ScalarType.Bool => torch.from_span<bool>(data.Select(b => b != 0).ToArray(), shape),
        _ => throw new InvalidDataException($"Unsupported dtype {dtype}."),
    };

    private static ReadOnlySpan<T> Cast<T>(byte[] data) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(data);
}
