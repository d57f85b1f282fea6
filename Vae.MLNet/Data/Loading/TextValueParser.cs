using System.Globalization;
using System.Numerics;

namespace Vae.MLNet.Data;

/// <summary>Parses one field of text into a value; false when the text is malformed.</summary>
internal delegate bool FieldParser<T>(ReadOnlySpan<char> text, out T value);

/// <summary>
/// Field parsers per column type. Empty fields are missing: NaN for floats, 0 for integers and keys, false for
/// booleans. Floats also read "?" as NaN. Keys are 0-based in the text and stored as 1..Count.
/// </summary>
internal static class TextValueParser
{
    public static FieldParser<T> Get<T>(PrimitiveDataViewType type) => (FieldParser<T>)Make(type);

    private static Delegate Make(PrimitiveDataViewType type)
    {
        const NumberStyles integer = NumberStyles.Integer;
        var inv = CultureInfo.InvariantCulture;
        if (type is KeyDataViewType key)
            return MakeKeyParser(key);
        var t = type.RawType;
        if (t == typeof(float))
            return (FieldParser<float>)((ReadOnlySpan<char> s, out float v) => TryReal(s, out v));
        if (t == typeof(double))
            return (FieldParser<double>)((ReadOnlySpan<char> s, out double v) => TryReal(s, out v));
        if (t == typeof(bool))
            return (FieldParser<bool>)TryBool;
        if (t == typeof(int))
            return (FieldParser<int>)((ReadOnlySpan<char> s, out int v) => Empty(s, out v) || int.TryParse(s, integer, inv, out v));
        if (t == typeof(long))
            return (FieldParser<long>)((ReadOnlySpan<char> s, out long v) => Empty(s, out v) || long.TryParse(s, integer, inv, out v));
        if (t == typeof(uint))
            return (FieldParser<uint>)((ReadOnlySpan<char> s, out uint v) => Empty(s, out v) || uint.TryParse(s, integer, inv, out v));
        if (t == typeof(ulong))
            return (FieldParser<ulong>)((ReadOnlySpan<char> s, out ulong v) => Empty(s, out v) || ulong.TryParse(s, integer, inv, out v));
        if (t == typeof(short))
            return (FieldParser<short>)((ReadOnlySpan<char> s, out short v) => Empty(s, out v) || short.TryParse(s, integer, inv, out v));
        if (t == typeof(ushort))
            return (FieldParser<ushort>)((ReadOnlySpan<char> s, out ushort v) => Empty(s, out v) || ushort.TryParse(s, integer, inv, out v));
        if (t == typeof(sbyte))
            return (FieldParser<sbyte>)((ReadOnlySpan<char> s, out sbyte v) => Empty(s, out v) || sbyte.TryParse(s, integer, inv, out v));
        if (t == typeof(byte))
            return (FieldParser<byte>)((ReadOnlySpan<char> s, out byte v) => Empty(s, out v) || byte.TryParse(s, integer, inv, out v));
        throw new NotSupportedException($"Text columns of type {type} cannot be parsed.");
    }

    private static bool Empty<T>(ReadOnlySpan<char> s, out T value) where T : struct
    {
        value = default;
        return s.Trim().IsEmpty;
    }

    // Empty fields and "?" are missing values: NaN.
    private static bool TryReal<T>(ReadOnlySpan<char> s, out T v) where T : struct, IFloatingPointIeee754<T>
    {
        s = s.Trim();
        if (s.IsEmpty || s is "?")
        {
            v = T.NaN;
            return true;
        }
        return T.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v);
    }

    private static bool TryBool(ReadOnlySpan<char> s, out bool v)
    {
        s = s.Trim();
        v = false;
        if (s.IsEmpty)
            return true;
        foreach (var t in (ReadOnlySpan<string>)["true", "t", "yes", "y", "1", "+1"])
        {
            if (s.Equals(t, StringComparison.OrdinalIgnoreCase))
                return v = true;
        }
        foreach (var f in (ReadOnlySpan<string>)["false", "f", "no", "n", "0", "-1"])
        {
            if (s.Equals(f, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    private static Delegate MakeKeyParser(KeyDataViewType key)
    {
        ulong count = key.Count;
        bool Parse(ReadOnlySpan<char> s, out ulong v)
        {
            s = s.Trim();
            v = 0;
            if (s.IsEmpty)
                return true;
            if (!ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ulong index) || index >= count)
                return false;
            v = index + 1;
            return true;
        }
        var t = key.RawType;
        if (t == typeof(uint))
            return (FieldParser<uint>)((ReadOnlySpan<char> s, out uint v) => { bool ok = Parse(s, out ulong u); v = (uint)u; return ok; });
        if (t == typeof(ulong))
            return (FieldParser<ulong>)Parse;
        if (t == typeof(ushort))
            return (FieldParser<ushort>)((ReadOnlySpan<char> s, out ushort v) => { bool ok = Parse(s, out ulong u); v = (ushort)u; return ok; });
        return (FieldParser<byte>)((ReadOnlySpan<char> s, out byte v) => { bool ok = Parse(s, out ulong u); v = (byte)u; return ok; });
    }
}
