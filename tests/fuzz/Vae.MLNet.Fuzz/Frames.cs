using System.Buffers.Binary;

namespace Vae.MLNet.Fuzz;

/// <summary>
/// How a fuzz input carries several entries: each part but the last is a u32 little-endian length and its bytes; the
/// last takes the rest. A length beyond the input takes what is left, so every input decodes (the fuzzer never wastes
/// an execution on framing) and the seeds stay small.
/// </summary>
internal static class Frames
{
    public static byte[][] Split(ReadOnlySpan<byte> input, int parts)
    {
        var result = new byte[parts][];
        for (int i = 0; i < parts - 1; i++)
        {
            uint length = input.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(input) : 0;
            input = input[Math.Min(4, input.Length)..];
            int take = (int)Math.Min(length, (uint)input.Length);
            result[i] = input[..take].ToArray();
            input = input[take..];
        }
        result[parts - 1] = input.ToArray();
        return result;
    }

    public static byte[] Join(params byte[][] parts)
    {
        using var output = new MemoryStream();
        Span<byte> length = stackalloc byte[4];
        for (int i = 0; i < parts.Length; i++)
        {
            if (i < parts.Length - 1)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)parts[i].Length);
                output.Write(length);
            }
            output.Write(parts[i]);
        }
        return output.ToArray();
    }
}
