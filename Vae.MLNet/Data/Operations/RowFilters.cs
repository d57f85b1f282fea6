using System.Runtime.InteropServices;

namespace Vae.MLNet.Data;

/// <summary>The row predicates behind filtering and splitting.</summary>
internal static class RowFilters
{
    /// <summary>Keeps rows whose numeric scalar <paramref name="column"/> is in [lower, upper); NaN rows are dropped.</summary>
    public static IDataView ByRange(IDataView input, DataViewSchema.Column column, double lower, double upper) =>
        new FilterDataView(input, [column], cursor =>
        {
            var read = Generic.Invoke<Func<double>>(new Func<DataViewRow, DataViewSchema.Column, Func<double>>(NumberReader<float>), column.Type.RawType, cursor, column);
            return () =>
            {
                double x = read();
                return x >= lower && x < upper;
            };
        });

    private static Func<double> NumberReader<T>(DataViewRow row, DataViewSchema.Column column) where T : struct, IConvertible
    {
        var getter = row.GetGetter<T>(column);
        T value = default;
        return () =>
        {
            getter(ref value);
            return value.ToDouble(null);
        };
    }

    /// <summary>Drops rows where any of <paramref name="columns"/> holds NaN (floats) or key 0 (keys), scalar or in a vector.</summary>
    public static IDataView ByMissing(IDataView input, DataViewSchema.Column[] columns) =>
        new FilterDataView(input, columns, cursor =>
        {
            var checks = columns.Select(c => MissingCheck(cursor, c)).ToArray();
            return () =>
            {
                foreach (var isMissing in checks)
                {
                    if (isMissing())
                        return false;
                }
                return true;
            };
        });

    private static Func<bool> MissingCheck(DataViewRow row, DataViewSchema.Column column)
    {
        var item = column.Type is VectorDataViewType v ? v.ItemType : column.Type;
        Delegate isMissing = item.RawType == typeof(float) ? (Func<float, bool>)float.IsNaN
            : item.RawType == typeof(double) ? (Func<double, bool>)double.IsNaN
            : item is KeyDataViewType && item.RawType == typeof(uint) ? (Func<uint, bool>)(k => k == 0)
            : throw SchemaErrors.Mismatch(column.Name, "Single, Double or UInt32 keys (scalar or vector)", column.Type, paramName: "columns");
        return Generic.Invoke<Func<bool>>(new Func<DataViewRow, DataViewSchema.Column, Delegate, Func<bool>>(MissingCheck<float>), item.RawType, row, column, isMissing);
    }

    private static Func<bool> MissingCheck<T>(DataViewRow row, DataViewSchema.Column column, Delegate test)
    {
        var isMissing = (Func<T, bool>)test;
        if (column.Type is not VectorDataViewType)
        {
            var getter = row.GetGetter<T>(column);
            T value = default!;
            return () =>
            {
                getter(ref value);
                return isMissing(value);
            };
        }
        var vector = row.GetGetter<VBuffer<T>>(column);
        var buffer = default(VBuffer<T>);
        bool implicitMissing = isMissing(default!);
        return () =>
        {
            vector(ref buffer);
            if (implicitMissing && buffer.GetValues().Length < buffer.Length)
                return true;
            foreach (var x in buffer.GetValues())
            {
                if (isMissing(x))
                    return true;
            }
            return false;
        };
    }

    /// <summary>
    /// A deterministic value in [0, 1) per row, from a hash of the row id (or of <paramref name="key"/>'s value) and <paramref name="seed"/>.
    /// Rows with equal keys get equal values.
    /// </summary>
    public static Func<double> MakeFraction(DataViewRowCursor cursor, DataViewSchema.Column? key, int seed)
    {
        Func<ulong> hash;
        if (key is { } k)
        {
            var item = k.Type is VectorDataViewType v ? v.ItemType : k.Type;
            hash = Generic.Invoke<Func<ulong>>(new Func<DataViewRow, DataViewSchema.Column, ulong, Func<ulong>>(ValueHash<int>), item.RawType, cursor, k, (ulong)seed);
        }
        else
        {
            var id = cursor.GetIdGetter();
            DataViewRowId rowId = default;
            hash = () =>
            {
                id(ref rowId);
                return StableHash.Mix(StableHash.Mix((ulong)seed ^ rowId.Low) ^ rowId.High);
            };
        }
        return () => (hash() >> 11) * (1.0 / (1UL << 53));
    }

    private static Func<ulong> ValueHash<T>(DataViewRow row, DataViewSchema.Column column, ulong seed)
    {
        if (column.Type is VectorDataViewType)
        {
            var getter = row.GetGetter<VBuffer<T>>(column);
            var buffer = default(VBuffer<T>);
            return () =>
            {
                getter(ref buffer);
                ulong h = StableHash.Mix(seed ^ (ulong)buffer.Length);
                foreach (var item in buffer.DenseValues())
                    h = StableHash.Mix(h ^ ItemHash(item, seed));
                return h;
            };
        }
        var scalar = row.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            scalar(ref value);
            return ItemHash(value, seed);
        };
    }

    private static ulong ItemHash<T>(T value, ulong seed) => value switch
    {
        ReadOnlyMemory<char> text => StableHash.Hash(seed, MemoryMarshal.AsBytes(text.Span)),
        float f => StableHash.Mix(seed ^ (ulong)BitConverter.SingleToInt32Bits(f == 0 ? 0f : f)),
        double d => StableHash.Mix(seed ^ (ulong)BitConverter.DoubleToInt64Bits(d == 0 ? 0d : d)),
        bool b => StableHash.Mix(seed ^ (b ? 1UL : 2UL)),
        DataViewRowId id => StableHash.Mix(StableHash.Mix(seed ^ id.Low) ^ id.High),
        IConvertible c => StableHash.Mix(seed ^ unchecked((ulong)c.ToInt64(null))),
        _ => throw new NotSupportedException($"Cannot hash values of {typeof(T)}."),
    };
}

/// <summary>A stable (process-independent) 64-bit hash, so splits repeat across runs.</summary>
internal static class StableHash
{
    /// <summary>SplitMix64's finalizer.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public static ulong Hash(ulong seed, ReadOnlySpan<byte> bytes)
    {
        ulong h = Mix(seed ^ (ulong)bytes.Length);
        while (bytes.Length >= 8)
        {
            h = Mix(h ^ BitConverter.ToUInt64(bytes));
            bytes = bytes[8..];
        }
        ulong tail = 0;
        for (int i = 0; i < bytes.Length; i++)
            tail |= (ulong)bytes[i] << (8 * i);
        return Mix(h ^ tail ^ 0x9E3779B97F4A7C15UL);
    }
}
