using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Vae.MLNet.Data;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>Generators of hostile delimited text and of the loader settings to read it with.</summary>
internal static class TextGen
{
    private static readonly string[] _numbers =
    [
        "0", "1", "-1", "3.14", "-0", "1e10", "1e400", "-1e400", "1e-400", "123456789012345678901234567890", "4294967296",
        "18446744073709551616", "-9223372036854775809", "255", "256", "-129", "0x1F", "1,5", "1_000", "+5", " 7 ", ".5", "5.",
        "1e", "e5", "--1", "NaN", "nan", "NAN", "-NaN", "Infinity", "-Infinity", "inf", "+Inf", "∞", "-∞", "?", "", "true",
        "False", "yes", "+1", "1" + new string('0', 400), "0." + new string('0', 400) + "1",
    ];

    private static readonly string[] _texts =
    [
        "abc", "a b", "ü", "日本語", "😀", "\t", " ", "\"a,b\"", "\"unterminated", "\"a\"\"b\"", "\"x\"y", "a\"b", "\"\"", "\"",
        "\" spaced \"", "\"1\"", "5", "0:1", "3:2.5", "abc:def", "-1:2", "99999999999:1", "2147483647", "1:", ":1", "0:1:2",
        "2:7", "1000000000", "0:", "\\", "\0",
    ];

    // Byte sequences that are not UTF-8: a lone continuation, a truncated sequence, an overlong form, a surrogate, 0xFF.
    private static readonly byte[][] _invalidUtf8 = [[0x80], [0xC3], [0xE2, 0x82], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xFF], [0xFE, 0xFF]];

    private static readonly char[] _separators = [',', '\t', ';', ' ', '|', ':', '"'];

    private static readonly DataKind[] _kinds = Enum.GetValues<DataKind>();

    public static Gen<TextCase> Case { get; } =
        from separator in Gen.Elements(_separators)
        from header in Gen.Elements(true, false)
        from quoting in Gen.Elements(true, false)
        from trim in Gen.Elements(true, false)
        from sparse in Gen.Elements(true, false)
        from columns in Column.ArrayOf().Select(a => a.Take(4).Select((c, i) => c with { Name = $"C{i}" }).ToArray()).Where(a => a.Length > 0)
        select new TextCase(separator, header, quoting, trim, sparse, columns);

    private static Gen<TextColumnDef> Column =>
        from kind in Gen.Elements(_kinds)
        from min in Gen.Choose(0, 6)
        from width in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, 4)))
        from key in Gen.Frequency((5, Gen.Constant<ulong?>(null)), (1, Gen.Choose(1, 1000).Select(k => (ulong?)k)))
        select new TextColumnDef("", kind, min, min + width, kind == DataKind.UInt32 ? key : null);

    private static Gen<string> Field => Gen.Frequency(
        (6, Gen.Elements(_numbers)), (3, Gen.Elements(_texts)),
        (1, Gen.Choose(1, 3).SelectMany(n => Gen.Elements(_numbers.Concat(_texts).ToArray()).ArrayOf(n)).Select(a => string.Concat(a))));

    private static Gen<byte[]> Line(char separator) =>
        from fields in Gen.Frequency((20, Field.ArrayOf()), (1, Field.ArrayOf(3000)))
        from sep in Gen.Frequency((8, Gen.Constant(separator)), (1, Gen.Elements(_separators)))
        from end in Gen.Elements("\n", "\n", "\n", "\r\n", "\r", "")
        from invalid in Gen.Frequency((8, Gen.Constant<byte[]?>(null)), (1, Gen.Elements(_invalidUtf8).Select(b => (byte[]?)b)))
        from at in Gen.Choose(0, 1000)
        select Assemble(string.Join(sep, fields) + end, invalid, at);

    /// <summary>A file's bytes: optionally a byte-order mark, then lines (some very long, some with bytes that are not UTF-8).</summary>
    public static Gen<byte[]> Content(char separator) =>
        from bom in Gen.Frequency((9, Gen.Constant(Array.Empty<byte>())), (1, Gen.Elements<byte[]>([0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF])))
        from lines in Line(separator).ArrayOf().Select(a => a.Take(12).ToArray())
        from huge in Gen.Frequency((30, Gen.Constant(0)), (1, Gen.Choose(100_000, 1_000_000)))
        select bom.Concat(lines.SelectMany(l => l)).Concat(Encoding.UTF8.GetBytes(new string('9', huge))).ToArray();

    private static byte[] Assemble(string line, byte[]? invalid, int at)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        if (invalid == null)
            return bytes;
        int position = bytes.Length == 0 ? 0 : at % (bytes.Length + 1);
        return [.. bytes.AsSpan(0, position), .. invalid, .. bytes.AsSpan(position)];
    }
}
