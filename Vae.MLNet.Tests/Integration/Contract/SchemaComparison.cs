using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Tests.Integration.Contract;

/// <summary>
/// Compares schemas as ML.NET's tests do: column by column (name, hidden or not, type, the index a name finds,
/// annotations with their values), and a SchemaShape against another (the estimator's promise against the fitted
/// transformer's schema). Each method returns null when they agree, else the first difference.
/// </summary>
internal static class SchemaComparison
{
    // ML.NET's annotation kinds (AnnotationUtils.Kinds, internal to ML.NET).
    private const string SlotNames = "SlotNames", KeyValues = "KeyValues";

    public static string? Difference(DataViewSchema expected, DataViewSchema actual)
    {
        if (expected.Count != actual.Count) return $"{expected.Count} columns vs {actual.Count}";
        for (int i = 0; i < expected.Count; i++)
        {
            DataViewSchema.Column a = expected[i], b = actual[i];
            string at = $"column {i} ('{a.Name}')";
            if (a.Name != b.Name) return $"{at}: named '{b.Name}'";
            if (a.IsHidden != b.IsHidden) return $"{at}: hidden {a.IsHidden} vs {b.IsHidden}";
            if (!a.Type.Equals(b.Type)) return $"{at}: type {a.Type} vs {b.Type}";
            if (expected.GetColumnOrNull(a.Name)?.Index != actual.GetColumnOrNull(b.Name)?.Index)
                return $"{at}: the name finds column {expected.GetColumnOrNull(a.Name)?.Index} vs {actual.GetColumnOrNull(b.Name)?.Index}";
            if (AnnotationDifference(a, b) is { } d) return $"{at}: {d}";
        }
        return null;
    }

    /// <summary>Compares two shapes by column name (order does not matter in a SchemaShape): kind, item type, key or not, annotations.</summary>
    public static string? Difference(SchemaShape expected, SchemaShape actual)
    {
        var names = expected.Select(c => c.Name).Order().ToArray();
        var actualNames = actual.Select(c => c.Name).Order().ToArray();
        if (!names.SequenceEqual(actualNames)) return $"columns [{string.Join(", ", names)}] vs [{string.Join(", ", actualNames)}]";
        foreach (var a in expected)
        {
            var b = actual.First(c => c.Name == a.Name);
            string at = $"column '{a.Name}'";
            if (a.Kind != b.Kind) return $"{at}: kind {a.Kind} vs {b.Kind}";
            if (!a.ItemType.Equals(b.ItemType)) return $"{at}: item type {a.ItemType} vs {b.ItemType}";
            if (a.IsKey != b.IsKey) return $"{at}: key {a.IsKey} vs {b.IsKey}";
            // ML.NET's own test asks each column to be compatible with the other, which compares the annotations too.
            var annotations = a.Annotations.Select(Describe).Order().ToArray();
            var actualAnnotations = b.Annotations.Select(Describe).Order().ToArray();
            if (!annotations.SequenceEqual(actualAnnotations))
                return $"{at}: annotations [{string.Join(", ", annotations)}] vs [{string.Join(", ", actualAnnotations)}]";
        }
        return null;
    }

    /// <summary>
    /// ML.NET's rules for a column's annotations: each kind once; SlotNames a vector of Text sized like the column
    /// (which is a vector of known size), readable with that many names; KeyValues sized like the key's count.
    /// Null when they hold.
    /// </summary>
    public static string? AnnotationProblem(DataViewSchema.Column column)
    {
        var kinds = column.Annotations.Schema.Select(c => c.Name).ToArray();
        if (kinds.Distinct().Count() != kinds.Length) return $"column '{column.Name}' has an annotation kind twice: [{string.Join(", ", kinds)}]";
        if (column.Annotations.Schema.GetColumnOrNull(SlotNames) is { } slotNames)
        {
            if (column.Type is not VectorDataViewType { Size: > 0 } vector)
                return $"column '{column.Name}' ({column.Type}) has slot names but is not a vector of known size";
            if (slotNames.Type is not VectorDataViewType { ItemType: TextDataViewType } names || names.Size != vector.Size)
                return $"column '{column.Name}' of {vector.Size} slots has slot names of type {slotNames.Type}";
            var values = default(VBuffer<ReadOnlyMemory<char>>);
            column.GetSlotNames(ref values);
            if (values.Length != vector.Size) return $"column '{column.Name}' of {vector.Size} slots gives {values.Length} slot names";
        }
        if (column.Annotations.Schema.GetColumnOrNull(KeyValues) is { } keyValues)
        {
            if ((column.Type is VectorDataViewType v ? v.ItemType : column.Type) is not KeyDataViewType key) return $"column '{column.Name}' ({column.Type}) has key values but is not a key";
            if (keyValues.Type is not VectorDataViewType kv || (ulong)kv.Size != key.Count)
                return $"key column '{column.Name}' of {key.Count} values has key values of type {keyValues.Type}";
        }
        return null;
    }

    private static string? AnnotationDifference(DataViewSchema.Column a, DataViewSchema.Column b)
    {
        var kinds = a.Annotations.Schema;
        var actualKinds = b.Annotations.Schema;
        if (kinds.Count != actualKinds.Count) return $"annotations [{Names(kinds)}] vs [{Names(actualKinds)}]";
        foreach (var kind in kinds)
        {
            var other = actualKinds.GetColumnOrNull(kind.Name);
            if (other is null) return $"annotations [{Names(kinds)}] vs [{Names(actualKinds)}]";
            if (!kind.Type.Equals(other.Value.Type)) return $"annotation {kind.Name} of type {kind.Type} vs {other.Value.Type}";
            if (kind.Type is VectorDataViewType { ItemType: TextDataViewType } || kind.Type is TextDataViewType || kind.Type is BooleanDataViewType)
            {
                object? x = Read(a.Annotations, kind), y = Read(b.Annotations, other.Value);
                if (ColumnValues.Difference(x, y, 0) is { } d) return $"annotation {kind.Name}: {d}";
            }
        }
        return null;
    }

    private static object? Read(DataViewSchema.Annotations annotations, DataViewSchema.Column kind)
    {
        switch (kind.Type)
        {
            case VectorDataViewType:
                var names = default(VBuffer<ReadOnlyMemory<char>>);
                annotations.GetValue(kind.Name, ref names);
                return ColumnValues.Copy(names);
            case TextDataViewType:
                var text = default(ReadOnlyMemory<char>);
                annotations.GetValue(kind.Name, ref text);
                return ColumnValues.Copy(text);
            default:
                bool flag = false;
                annotations.GetValue(kind.Name, ref flag);
                return flag;
        }
    }

    private static string Describe(SchemaShape.Column c) => $"{c.Name}: {c.Kind} of {c.ItemType}{(c.IsKey ? " key" : "")}";

    private static string Names(DataViewSchema schema) => string.Join(", ", schema.Select(c => c.Name));
}
