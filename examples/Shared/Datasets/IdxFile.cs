using System.Buffers.Binary;
using System.IO.Compression;

namespace Vae.MLNet.Examples.Datasets;

/// <summary>
/// Reads the IDX format of the MNIST files (optionally gzip-compressed): a magic number whose third byte is the
/// element type (0x08 = unsigned byte) and whose fourth is the rank, the sizes as big-endian int32, then the data.
/// </summary>
public static class IdxFile
{
    private const long MaxBytes = 1L << 31;

    /// <summary>Reads an unsigned-byte IDX file (plain or .gz) into its sizes and data.</summary>
    /// <exception cref="InvalidDataException">The file is not an unsigned-byte IDX file or is truncated.</exception>
    public static (int[] Sizes, byte[] Data) ReadBytes(string path)
    {
        using var file = File.OpenRead(path);
        bool gzip = file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
        file.Position = 0;
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        Span<byte> header = stackalloc byte[4];
        stream.ReadExactly(header);
        if (header[0] != 0 || header[1] != 0) throw new InvalidDataException($"{path}: not an IDX file (bad magic number).");
        if (header[2] != 0x08) throw new InvalidDataException($"{path}: element type 0x{header[2]:x2} is not unsigned byte (0x08).");
        int rank = header[3];
        if (rank is < 1 or > 4) throw new InvalidDataException($"{path}: rank {rank} is not supported.");
        var sizes = new int[rank];
        long total = 1;
        for (int i = 0; i < rank; i++)
        {
            stream.ReadExactly(header);
            sizes[i] = BinaryPrimitives.ReadInt32BigEndian(header);
            if (sizes[i] < 0) throw new InvalidDataException($"{path}: negative size in dimension {i}.");
            total *= sizes[i];
            if (total > MaxBytes) throw new InvalidDataException($"{path}: declares more than {MaxBytes} bytes.");
        }
        var data = new byte[total];
        try
        {
            stream.ReadExactly(data);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path}: truncated: it declares {total} bytes of data.", e);
        }
        return (sizes, data);
    }
}
