using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Vae.MLNet.Backend;
using Vae.MLNet.Columns;
using static TorchSharp.torch;

namespace Vae.MLNet.Persistence;

/// <summary>
/// The data-only layout of a VAE's weights (the model zip's <c>Weights.bin</c> and the checkpoints' weight
/// entries): magic "VAEW", u32 version 2, u32 count, then per array: u16 name length, UTF-8 name, u8 dtype
/// (1 float32, 2 int64), u8 rank, rank × i64 dimensions, the values little-endian; last, the SHA-256 of every byte
/// before it. Reading checks the digest, then every declared size against the bytes present before allocating;
/// nothing in the file names a type or code.
/// </summary>
internal static class WeightsFile
{
    private static ReadOnlySpan<byte> Magic => "VAEW"u8;
    private const uint Version = 2;
    private const int DigestBytes = 32;
    private const byte Float32 = 1, Int64 = 2;
    private const int MaxRank = 8, MaxNameBytes = 1024;

    /// <summary>A weight as read from a file: its dtype's values and shape.</summary>
    internal sealed record Array(string Name, ScalarType DType, long[] Shape, float[]? Singles, long[]? Longs)
    {
        public long Count => Singles?.LongLength ?? Longs!.LongLength;

        /// <summary>The index of the first NaN or ±∞ among the values, or −1 when all are finite (always for int64 arrays).</summary>
        public long FirstNonFinite()
        {
            if (Singles is null || InputRange.AllWithin(Singles, float.MinValue, float.MaxValue)) return -1;
            return System.Array.FindIndex(Singles, v => !float.IsFinite(v));
        }

        /// <summary>A new CPU tensor holding the values.</summary>
        public Tensor ToTensor() => Singles is not null ? TensorCopy.FromSpan(Singles, Shape) : tensor(Longs!, Shape);
    }

    private const int MaxRecordHeaderBytes = 2 + MaxNameBytes + 2 + 8 * MaxRank;

    /// <summary>
    /// The most bytes a file can take for a network of <paramref name="weights"/> weights in at most
    /// <paramref name="layers"/> layers: every parameter and buffer of a layer is at most six times its weights (bias,
    /// batch norm's four, a variance), stored in at most 8 bytes, plus each array's record header.
    /// </summary>
    public static long MaxBytes(long weights, long layers) =>
        Math.Min(System.Array.MaxLength, 12 + 8 * 7 * weights + layers * 8 * (2 + MaxRecordHeaderBytes));

    public static void Write(Stream output, IEnumerable<(string Name, Tensor Tensor)> weights)
    {
        var list = weights.OrderBy(w => w.Name, StringComparer.Ordinal).ToList();
        // Hashed as written, for the trailing digest: ML.NET's zip has no check of its own that a reader honours (a
        // flipped bit in a deflated entry can inflate to other weights without an error).
        using var body = new DigestStream(output);
        var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write((uint)list.Count);
        foreach (var (name, value) in list)
        {
            using var cpu = value.detach().cpu().contiguous();
            bool isLong = cpu.dtype == ScalarType.Int64;
            using var converted = isLong ? cpu.alias() : cpu.to(ScalarType.Float32);
            var nameBytes = Encoding.UTF8.GetBytes(name);
            writer.Write((ushort)nameBytes.Length);
            writer.Write(nameBytes);
            writer.Write(isLong ? Int64 : Float32);
            writer.Write((byte)converted.dim());
            foreach (long d in converted.shape) writer.Write(d);
            if (isLong) writer.Write(MemoryMarshal.AsBytes<long>(converted.data<long>().ToArray()));
            else writer.Write(MemoryMarshal.AsBytes<float>(TensorCopy.ToArray(converted)));
        }
        writer.Flush();
        output.Write(body.Digest());
    }

    /// <summary>Parses every array of <paramref name="bytes"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a weights file, or declare more than they hold (the message names the array).</exception>
    public static IReadOnlyList<Array> Read(ReadOnlySpan<byte> bytes, string where)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Weights files are little-endian; big-endian machines are not supported.");
        var reader = new SpanReader(bytes, where);
        if (!reader.Take(4).SequenceEqual(Magic)) throw new InvalidDataException($"{where}: not a weights file (missing 'VAEW' header).");
        uint version = reader.UInt32();
        if (version != Version) throw new InvalidDataException($"{where}: weights format version {version} is not supported; this library reads version {Version}.");
        if (bytes.Length < 12 + DigestBytes
            || !System.Security.Cryptography.SHA256.HashData(bytes[..^DigestBytes]).AsSpan().SequenceEqual(bytes[^DigestBytes..]))
            throw new InvalidDataException($"{where}: checksum mismatch: the weights were damaged or altered after they were saved.");
        reader = new SpanReader(bytes[..^DigestBytes], where);
        reader.Take(8);
        uint count = reader.UInt32();
        // Every array takes at least 4 bytes of header: a count beyond that is a lie, refused before any list grows.
        if (count > (uint)reader.Remaining / 4) throw new InvalidDataException($"{where}: declares {count} arrays but only {reader.Remaining} bytes remain.");
        var arrays = new List<Array>((int)count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            int nameLength = reader.UInt16();
            if (nameLength is 0 or > MaxNameBytes) throw new InvalidDataException($"{where}: array {i} has a name of {nameLength} bytes (1 to {MaxNameBytes} allowed).");
            string name;
            try
            {
                name = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(reader.Take(nameLength));
            }
            catch (DecoderFallbackException e)
            {
                throw new InvalidDataException($"{where}: array {i}'s name is not valid UTF-8.", e);
            }
            if (!names.Add(name)) throw new InvalidDataException($"{where}: array '{name}' appears twice.");
            byte dtype = reader.Byte();
            if (dtype is not (Float32 or Int64)) throw new InvalidDataException($"{where}: array '{name}' has dtype code {dtype}; expected 1 (float32) or 2 (int64).");
            int rank = reader.Byte();
            if (rank > MaxRank) throw new InvalidDataException($"{where}: array '{name}' has rank {rank}; at most {MaxRank} is supported.");
            var shape = new long[rank];
            long items = 1;
            for (int d = 0; d < rank; d++)
            {
                shape[d] = reader.Int64();
                if (shape[d] < 0) throw new InvalidDataException($"{where}: array '{name}' has a negative dimension in shape [{string.Join(", ", shape.Take(d + 1))}].");
                items = shape[d] == 0 ? 0 : items > long.MaxValue / shape[d] ? long.MaxValue : items * shape[d];
            }
            int itemSize = dtype == Float32 ? 4 : 8;
            if (items > reader.Remaining / itemSize)
                throw new InvalidDataException($"{where}: array '{name}' declares shape [{string.Join(", ", shape)}] ({(dtype == Float32 ? "float32" : "int64")}, {items} items) but only {reader.Remaining} bytes remain.");
            var data = reader.Take(checked((int)(items * itemSize)));
            arrays.Add(dtype == Float32
                ? new Array(name, ScalarType.Float32, shape, MemoryMarshal.Cast<byte, float>(data).ToArray(), null)
                : new Array(name, ScalarType.Int64, shape, null, MemoryMarshal.Cast<byte, long>(data).ToArray()));
        }
        if (reader.Remaining != 0) throw new InvalidDataException($"{where}: {reader.Remaining} bytes follow the last array.");
        return arrays;
    }

    /// <summary>Reads a stream to its end, refusing more than <paramref name="maxBytes"/>.</summary>
    /// <remarks>
    /// A seekable stream (ML.NET hands each entry over as one) is checked by its length first and read in one copy; any
    /// other is read in chunks and cut off at the limit, so a zip entry that inflates to gigabytes is never held whole.
    /// </remarks>
    public static byte[] ReadAll(Stream stream, long maxBytes, string where)
    {
        if (stream.CanSeek)
        {
            long length = stream.Length - stream.Position;
            if (length > maxBytes) throw new InvalidDataException($"{where}: holds {length} bytes, more than the limit of {maxBytes} bytes.");
            var bytes = new byte[length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw new InvalidDataException($"{where}: exceeds the limit of {maxBytes} bytes.");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>Writes through to a stream, hashing what passes (SHA-256).</summary>
    private sealed class DigestStream(Stream inner) : Stream
    {
        private readonly System.Security.Cryptography.IncrementalHash _hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);

        public byte[] Digest() => _hash.GetHashAndReset();

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void WriteByte(byte value) => Write([value]);
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _hash.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>Bounds-checked little-endian reads over a span.</summary>
    private ref struct SpanReader(ReadOnlySpan<byte> bytes, string where)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _position;

        public readonly int Remaining => _bytes.Length - _position;

        public ReadOnlySpan<byte> Take(int count)
        {
            if (count > Remaining) throw new InvalidDataException($"{where}: truncated: {count} bytes needed at offset {_position}, {Remaining} remain.");
            var slice = _bytes.Slice(_position, count);
            _position += count;
            return slice;
        }

        public byte Byte() => Take(1)[0];
        public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));
        public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));
    }
}
