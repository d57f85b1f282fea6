namespace Vae.MLNet.Data;

/// <summary>Well-known annotation kinds and helpers to read them from a column.</summary>
public static class AnnotationUtils
{
    /// <summary>The names of the annotations the library understands.</summary>
    public static class Kinds
    {
        /// <summary>Names of the slots of a vector column: a text vector of the column's size.</summary>
        public const string SlotNames = "SlotNames";

        /// <summary>The values keys stand for: a vector whose item k-1 is the value of key k.</summary>
        public const string KeyValues = "KeyValues";

        /// <summary>A boolean set to true on columns produced by a normalizer.</summary>
        public const string IsNormalized = "IsNormalized";
    }

    /// <summary>Whether the column has slot names (of <paramref name="vectorSize"/> items, when given).</summary>
    public static bool HasSlotNames(this DataViewSchema.Column column, int vectorSize = 0)
    {
        var a = column.Annotations.Schema.GetColumnOrNull(Kinds.SlotNames);
        return a is { Type: VectorDataViewType { ItemType: TextDataViewType } v } && (vectorSize == 0 || v.Size == vectorSize);
    }

    /// <summary>Reads the column's slot names.</summary>
    /// <exception cref="InvalidOperationException">The column has no slot names.</exception>
    public static void GetSlotNames(this DataViewSchema.Column column, ref VBuffer<ReadOnlyMemory<char>> slotNames) =>
        column.Annotations.GetValue(Kinds.SlotNames, ref slotNames);

    /// <summary>Whether the column has key values (of <paramref name="keyValueItemType"/>, when given).</summary>
    public static bool HasKeyValues(this DataViewSchema.Column column, PrimitiveDataViewType? keyValueItemType = null)
    {
        var a = column.Annotations.Schema.GetColumnOrNull(Kinds.KeyValues);
        return a is { Type: VectorDataViewType v } && (keyValueItemType == null || v.ItemType.Equals(keyValueItemType));
    }

    /// <summary>Reads the column's key values.</summary>
    /// <exception cref="InvalidOperationException">The column has no key values of that type.</exception>
    public static void GetKeyValues<TValue>(this DataViewSchema.Column column, ref VBuffer<TValue> keyValues) =>
        column.Annotations.GetValue(Kinds.KeyValues, ref keyValues);

    /// <summary>Whether a normalizer produced the column.</summary>
    public static bool IsNormalized(this DataViewSchema.Column column)
    {
        var a = column.Annotations.Schema.GetColumnOrNull(Kinds.IsNormalized);
        if (a is not { Type: BooleanDataViewType })
            return false;
        bool value = false;
        column.Annotations.GetGetter<bool>(a.Value)(ref value);
        return value;
    }
}
