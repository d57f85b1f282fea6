using System.Collections.Immutable;
using Vae.MLNet.Data;

namespace Vae.MLNet;

/// <summary>
/// The text form of column types in model files: <c>Single</c>, <c>String</c>, <c>Boolean</c>, <c>Key&lt;UInt32, 10&gt;</c>
/// (10 = the key count), <c>Vector&lt;Single&gt;</c> (unknown size) or <c>Vector&lt;Single, 28, 28&gt;</c>.
/// </summary>
internal static class TypeSpec
{
    public static string Format(DataViewType type) => type switch
    {
        VectorDataViewType v => v.IsKnownSize
            ? $"Vector<{Format(v.ItemType)}, {string.Join(", ", v.Dimensions)}>"
            : $"Vector<{Format(v.ItemType)}>",
        KeyDataViewType k => $"Key<{NumberDataViewType.FromRawType(k.RawType)}, {k.Count}>",
        NumberDataViewType or TextDataViewType or BooleanDataViewType or RowIdDataViewType => type.ToString()!,
        _ => throw new NotSupportedException($"Columns of type {type} cannot be described in a model file."),
    };

    /// <exception cref="FormatException">The text is not a type spec.</exception>
    public static DataViewType Parse(string text)
    {
        text = text.Trim();
        if (TryPrimitive(text) is { } primitive)
            return primitive;
        if (text.StartsWith("Vector<", StringComparison.Ordinal) && text.EndsWith('>'))
        {
            var parts = SplitTopLevel(text[7..^1]);
            if (Parse(parts[0]) is not PrimitiveDataViewType item)
                throw new FormatException($"Invalid vector item type in '{text}'.");
            var dims = parts.Skip(1).Select(p => int.TryParse(p, out int d) && d > 0 ? d : throw new FormatException($"Invalid vector dimension '{p}' in '{text}'.")).ToArray();
            return dims.Length == 0 ? new VectorDataViewType(item) : new VectorDataViewType(item, ImmutableArray.Create(dims));
        }
        throw new FormatException($"Unknown column type '{text}'.");
    }

    private static PrimitiveDataViewType? TryPrimitive(string text)
    {
        if (text == "String")
            return TextDataViewType.Instance;
        if (text == "Boolean")
            return BooleanDataViewType.Instance;
        if (text == "DataViewRowId")
            return RowIdDataViewType.Instance;
        foreach (var n in NumberDataViewType.All)
        {
            if (n.ToString() == text)
                return n;
        }
        if (text.StartsWith("Key<", StringComparison.Ordinal) && text.EndsWith('>'))
        {
            var parts = text[4..^1].Split(',', StringSplitOptions.TrimEntries);
            var raw = parts.Length == 2 ? NumberDataViewType.All.FirstOrDefault(n => n.ToString() == parts[0]) : null;
            if (raw == null || !KeyDataViewType.IsValidDataType(raw.RawType) || !ulong.TryParse(parts[1], out ulong count) || count == 0)
                throw new FormatException($"Invalid key type '{text}'.");
            return new KeyDataViewType(raw.RawType, count);
        }
        return null;
    }

    // Splits "Key<UInt32, 3>, 5" at commas outside angle brackets.
    private static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '<')
                depth++;
            else if (text[i] == '>')
                depth--;
            else if (text[i] == ',' && depth == 0)
            {
                parts.Add(text[start..i].Trim());
                start = i + 1;
            }
        }
        parts.Add(text[start..].Trim());
        return parts;
    }
}
