using Microsoft.ML;
using Microsoft.ML.Data;
using System.Globalization;
using System.Numerics;

namespace Vae.MLNet.Reporting;

/// <summary>One row's label: a class name (text, key, boolean) or a number; <see cref="Order"/> sorts classes (key index, number).</summary>
internal readonly record struct LabelValue(string? Name, double Order);

/// <summary>Reads labels of any scalar type the report can colour by.</summary>
internal static class LabelReader
{
    // ML.NET's name of the key-values annotation (AnnotationUtils.Kinds.KeyValues, which is internal).
    private const string KeyValuesKind = "KeyValues";

    /// <summary>A reader of the current row's label in <paramref name="column"/>.</summary>
    public static Func<LabelValue> Create(DataViewRow row, DataViewSchema.Column column) => column.Type switch
    {
        TextDataViewType => Text(row, column),
        BooleanDataViewType => Boolean(row, column),
        KeyDataViewType key => Key(row, column, key),
        NumberDataViewType => Number(row, column),
        _ => throw new ArgumentOutOfRangeException(nameof(column),
            $"Label column '{column.Name}' is {column.Type}; expected a number, key, boolean or text (set LabelColumnName to null for no colouring)."),
    };

    private static Func<LabelValue> Text(DataViewRow row, DataViewSchema.Column column)
    {
        var getter = row.GetGetter<ReadOnlyMemory<char>>(column);
        ReadOnlyMemory<char> value = default;
        return () =>
        {
            getter(ref value);
            return new(value.Length == 0 ? "(empty)" : value.ToString(), double.NaN);
        };
    }

    private static Func<LabelValue> Boolean(DataViewRow row, DataViewSchema.Column column)
    {
        var getter = row.GetGetter<bool>(column);
        bool value = false;
        return () =>
        {
            getter(ref value);
            return new(value ? "true" : "false", value ? 1 : 0);
        };
    }

    private static Func<LabelValue> Key(DataViewRow row, DataViewSchema.Column column, KeyDataViewType type)
    {
        var key = Number(row, column);
        var names = KeyNames(column);
        return () =>
        {
            double k = key().Order;
            // Keys count from 1; 0 is the missing value.
            string name = k == 0 ? "missing" : names is not null && k <= names.Length ? names[(int)k - 1] : (k - 1).ToString(CultureInfo.InvariantCulture);
            return new(name, k);
        };
    }

    /// <summary>
    /// The key's values as text, from ML.NET's KeyValues annotation (MapValueToKey writes it in the type of the mapped
    /// column: text for names, numbers for numeric labels); null when the key has none.
    /// </summary>
    private static string[]? KeyNames(DataViewSchema.Column column)
    {
        var annotation = column.Annotations.Schema.GetColumnOrNull(KeyValuesKind);
        if (annotation is not { Type: VectorDataViewType { ItemType: var item } }) return null;
        return item.RawType switch
        {
            var t when t == typeof(ReadOnlyMemory<char>) => KeyNames<ReadOnlyMemory<char>>(column, v => v.ToString()),
            var t when t == typeof(float) => KeyNames<float>(column, v => v.ToString("G7", CultureInfo.InvariantCulture)),
            var t when t == typeof(double) => KeyNames<double>(column, v => v.ToString("G15", CultureInfo.InvariantCulture)),
            var t when t == typeof(bool) => KeyNames<bool>(column, v => v ? "true" : "false"),
            var t when t == typeof(int) => KeyNames<int>(column, v => v.ToString(CultureInfo.InvariantCulture)),
            var t when t == typeof(long) => KeyNames<long>(column, v => v.ToString(CultureInfo.InvariantCulture)),
            var t when t == typeof(uint) => KeyNames<uint>(column, v => v.ToString(CultureInfo.InvariantCulture)),
            var t when t == typeof(ulong) => KeyNames<ulong>(column, v => v.ToString(CultureInfo.InvariantCulture)),
            _ => null,
        };
    }

    private static string[] KeyNames<T>(DataViewSchema.Column column, Func<T, string> format)
    {
        VBuffer<T> values = default;
        column.GetKeyValues(ref values);
        return values.DenseValues().Select(format).ToArray();
    }

    private static Func<LabelValue> Number(DataViewRow row, DataViewSchema.Column column) => column.Type.RawType switch
    {
        var t when t == typeof(float) => Number<float>(row, column),
        var t when t == typeof(double) => Number<double>(row, column),
        var t when t == typeof(sbyte) => Number<sbyte>(row, column),
        var t when t == typeof(byte) => Number<byte>(row, column),
        var t when t == typeof(short) => Number<short>(row, column),
        var t when t == typeof(ushort) => Number<ushort>(row, column),
        var t when t == typeof(int) => Number<int>(row, column),
        var t when t == typeof(uint) => Number<uint>(row, column),
        var t when t == typeof(long) => Number<long>(row, column),
        var t when t == typeof(ulong) => Number<ulong>(row, column),
        var t => throw new ArgumentOutOfRangeException(nameof(column), $"Label column '{column.Name}' has raw type {t.Name}, which is not a number."),
    };

    private static Func<LabelValue> Number<T>(DataViewRow row, DataViewSchema.Column column) where T : INumberBase<T>
    {
        var getter = row.GetGetter<T>(column);
        T value = T.Zero;
        return () =>
        {
            getter(ref value);
            return new(null, double.CreateChecked(value));
        };
    }
}
