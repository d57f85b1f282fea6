using Vae.MLNet.Data;
using System.Globalization;
using System.Numerics;

namespace Vae.MLNet.Reporting;

/// <summary>One row's label: a class name (text, key, boolean) or a number; <see cref="Order"/> sorts classes (key index, number).</summary>
internal readonly record struct LabelValue(string? Name, double Order);

/// <summary>Reads labels of any scalar type the report can colour by.</summary>
internal static class LabelReader
{
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
        string[]? names = null;
        if (column.HasKeyValues(TextDataViewType.Instance))
        {
            VBuffer<ReadOnlyMemory<char>> values = default;
            column.GetKeyValues(ref values);
            names = values.DenseValues().Select(v => v.ToString()).ToArray();
        }
        return () =>
        {
            double k = key().Order;
            // Keys count from 1; 0 is the missing value.
            string name = k == 0 ? "missing" : names is not null && k <= names.Length ? names[(int)k - 1] : (k - 1).ToString(CultureInfo.InvariantCulture);
            return new(name, k);
        };
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
