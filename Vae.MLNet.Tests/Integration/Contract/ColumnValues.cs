using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Tests.Integration.Contract;

/// <summary>One row read by <see cref="ColumnValues.ReadAll"/>: its position, id and the values of the columns read.</summary>
internal sealed record RowValues(long Position, DataViewRowId Id, object?[] Values);

/// <summary>
/// Reads any column of any type into a comparable copy (a vector as an array of its dense values, text as a string),
/// and compares such copies within a tolerance, as ML.NET's tests compare two views column by column.
/// </summary>
internal static class ColumnValues
{
    private static readonly MethodInfo ScalarReaderMethod = typeof(ColumnValues).GetMethod(nameof(ScalarReader), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo VectorReaderMethod = typeof(ColumnValues).GetMethod(nameof(VectorReader), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>A function that copies <paramref name="column"/>'s value at the row's current position (its getter is made once).</summary>
    public static Func<object?> Reader(DataViewRow row, DataViewSchema.Column column)
    {
        var raw = column.Type.RawType;
        var method = raw.IsGenericType && raw.GetGenericTypeDefinition() == typeof(VBuffer<>)
            ? VectorReaderMethod.MakeGenericMethod(raw.GetGenericArguments()[0])
            : ScalarReaderMethod.MakeGenericMethod(raw);
        try
        {
            return (Func<object?>)method.Invoke(null, [row, column])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    /// <summary>Every row of <paramref name="cursor"/> with the values of <paramref name="columns"/> (columns of the cursor's schema, or equal to them).</summary>
    public static List<RowValues> ReadAll(DataViewRowCursor cursor, IReadOnlyList<DataViewSchema.Column> columns)
    {
        var readers = columns.Select(c => Reader(cursor, c)).ToArray();
        var id = cursor.GetIdGetter();
        var rows = new List<RowValues>();
        while (cursor.MoveNext())
        {
            DataViewRowId rowId = default;
            id(ref rowId);
            rows.Add(new RowValues(cursor.Position, rowId, readers.Select(r => r()).ToArray()));
        }
        return rows;
    }

    /// <summary>Every row of <paramref name="view"/> with the values of <paramref name="columns"/>, read by one cursor over just those columns.</summary>
    public static List<RowValues> ReadAll(IDataView view, IReadOnlyList<DataViewSchema.Column> columns)
    {
        using var cursor = view.GetRowCursor(columns);
        return ReadAll(cursor, columns);
    }

    /// <summary>
    /// Null when <paramref name="expected"/> and <paramref name="actual"/> agree: floating-point values within
    /// <paramref name="tolerance"/> relative to max(1, |value|) (0: bit for bit, NaN equal to NaN), anything else exactly.
    /// Otherwise what differs (the slot, both values).
    /// </summary>
    public static string? Difference(object? expected, object? actual, double tolerance)
    {
        if (expected is Array a && actual is Array b)
        {
            if (a.Length != b.Length) return $"{a.Length} values vs {b.Length}";
            for (int i = 0; i < a.Length; i++)
                if (Difference(a.GetValue(i), b.GetValue(i), tolerance) is { } d) return $"slot {i}: {d}";
            return null;
        }
        return (expected, actual) switch
        {
            (float x, float y) => Close(x, y, tolerance) ? null : $"{x:R} vs {y:R}",
            (double x, double y) => Close(x, y, tolerance) ? null : $"{x:R} vs {y:R}",
            _ => Equals(expected, actual) ? null : $"{expected} vs {actual}",
        };
    }

    /// <summary>The largest difference between floating-point values of two copies, relative to max(1, |value|).</summary>
    public static double MaxDifference(object? expected, object? actual)
    {
        if (expected is Array a && actual is Array b && a.Length == b.Length)
            return Enumerable.Range(0, a.Length).Select(i => MaxDifference(a.GetValue(i), b.GetValue(i))).DefaultIfEmpty(0).Max();
        return (expected, actual) switch
        {
            (float x, float y) => Relative(x, y),
            (double x, double y) => Relative(x, y),
            _ => 0,
        };
    }

    private static double Relative(double x, double y) => x.Equals(y) ? 0 : Math.Abs(x - y) / Math.Max(1, Math.Max(Math.Abs(x), Math.Abs(y)));

    private static bool Close(double x, double y, double tolerance) => x.Equals(y) || Relative(x, y) <= tolerance;

    private static Func<object?> ScalarReader<T>(DataViewRow row, DataViewSchema.Column column)
    {
        var getter = row.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return Copy(value);
        };
    }

    private static Func<object?> VectorReader<T>(DataViewRow row, DataViewSchema.Column column)
    {
        var getter = row.GetGetter<VBuffer<T>>(column);
        var value = default(VBuffer<T>);
        return () =>
        {
            getter(ref value);
            return value.DenseValues().Select(v => Copy(v)).ToArray();
        };
    }

    /// <summary>A copy that outlives the getter's buffer, comparable with Equals.</summary>
    public static object? Copy(object? value) => value switch
    {
        ReadOnlyMemory<char> text => text.ToString(),
        VBuffer<float> floats => floats.DenseValues().Select(v => (object?)v).ToArray(),
        VBuffer<ReadOnlyMemory<char>> texts => texts.DenseValues().Select(t => (object?)t.ToString()).ToArray(),
        _ => value,
    };
}
