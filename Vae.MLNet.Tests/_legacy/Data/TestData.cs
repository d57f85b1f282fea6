using Vae.MLNet.Data;

namespace Vae.MLNet.Tests.Data;

/// <summary>Shared helpers for data-layer tests.</summary>
internal static class TestData
{
    /// <summary>All values of column <paramref name="name"/> read through a cursor that activates only that column.</summary>
    public static List<T> Column<T>(IDataView data, string name)
    {
        var column = data.Schema[name];
        var values = new List<T>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<T>(column);
        while (cursor.MoveNext())
        {
            T value = default!;
            getter(ref value);
            values.Add(value);
        }
        return values;
    }

    /// <summary>The dense float vectors of column <paramref name="name"/>.</summary>
    public static List<float[]> Vectors(IDataView data, string name) =>
        Column<VBuffer<float>>(data, name).Select(v => v.DenseValues().ToArray()).ToList();

    /// <summary>Asserts two float sequences are equal within <paramref name="tolerance"/>.</summary>
    public static void AreClose(IReadOnlyList<float> expected, IReadOnlyList<float> actual, float tolerance = 1e-5f)
    {
        Assert.AreEqual(expected.Count, actual.Count, "length");
        for (int i = 0; i < expected.Count; i++)
        {
            if (float.IsNaN(expected[i]))
                Assert.IsTrue(float.IsNaN(actual[i]), $"item {i}: expected NaN, got {actual[i]}");
            else
                Assert.AreEqual(expected[i], actual[i], tolerance, $"item {i}");
        }
    }
}

/// <summary>A row type whose property reads are counted, to prove laziness.</summary>
internal sealed class CountingRow
{
    private readonly int[] _reads;
    private readonly float _a;
    private readonly float _b;

    public CountingRow() : this(new int[2], 0, 0)
    {
    }

    public CountingRow(int[] reads, float a, float b)
    {
        _reads = reads;
        _a = a;
        _b = b;
    }

    public float A
    {
        get
        {
            _reads[0]++;
            return _a;
        }
    }

    public float B
    {
        get
        {
            _reads[1]++;
            return _b;
        }
    }
}

/// <summary>An enumerable that counts how many items were pulled.</summary>
internal sealed class CountingEnumerable<T>(IReadOnlyList<T> items) : IEnumerable<T>
{
    public int Pulled { get; private set; }

    public IEnumerator<T> GetEnumerator()
    {
        foreach (var item in items)
        {
            Pulled++;
            yield return item;
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
