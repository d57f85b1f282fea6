using System.Buffers.Binary;
using System.Text;

namespace Vae.MLNet.Tests.Packaging;

/// <summary>
/// Reads the symbol-version requirements (.gnu.version_r) of a little-endian ELF64 shared object, independently of
/// the GLIBCXX fix's own reader, to check what the fix did to a file.
/// </summary>
internal static class ElfVersionNeeds
{
    /// <summary>VER_FLG_WEAK: the loader does not insist on the version.</summary>
    public const ushort Weak = 0x2;

    /// <summary>The version TorchSharp 0.107's libLibTorchSharp.so needs and Debian 12's libstdc++ lacks.</summary>
    public const string Glibcxx = "GLIBCXX_3.4.32";

    /// <summary>The vna_flags of the requirement named <paramref name="version"/>, or null when the file has none.</summary>
    public static ushort? Flags(string path, string version)
    {
        byte[] b = File.ReadAllBytes(path);
        if (b.Length < 64 || b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F' || b[4] != 2 || b[5] != 1)
            throw new InvalidDataException($"{path} is not a little-endian ELF64 file");
        long shoff = (long)U64(b, 0x28);
        int shentsize = U16(b, 0x3a), shnum = U16(b, 0x3c);
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            if (U32(b, sh + 4) != 0x6ffffffe) continue;   // SHT_GNU_verneed
            long offset = (long)U64(b, sh + 0x18);
            long strings = (long)U64(b, shoff + (long)U32(b, sh + 0x28) * shentsize + 0x18);
            uint count = U32(b, sh + 0x2c);
            long vn = offset;
            for (uint n = 0; n < count; n++)
            {
                long va = vn + U32(b, vn + 8);
                for (int k = 0, cnt = U16(b, vn + 2); k < cnt; k++)
                {
                    if (ReadString(b, strings + U32(b, va + 8)) == version) return U16(b, va + 4);
                    va += U32(b, va + 12);
                }
                vn += U32(b, vn + 12);
            }
        }
        return null;
    }

    /// <summary>Whether this machine's libstdc++ defines <paramref name="version"/> (then the fix leaves files alone).</summary>
    public static bool SystemLibstdcxxHas(string version)
    {
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        string[] candidates = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6"];
        string? lib = candidates.FirstOrDefault(File.Exists);
        return lib is not null && File.ReadAllBytes(lib).AsSpan().IndexOf(needle) >= 0;
    }

    private static ushort U16(byte[] b, long o) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan((int)o));
    private static uint U32(byte[] b, long o) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan((int)o));
    private static ulong U64(byte[] b, long o) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan((int)o));

    private static string ReadString(byte[] b, long o)
    {
        int end = Array.IndexOf(b, (byte)0, (int)o);
        return Encoding.ASCII.GetString(b, (int)o, end - (int)o);
    }
}
