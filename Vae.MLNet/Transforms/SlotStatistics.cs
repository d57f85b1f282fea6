using System.Numerics;
using Vae.MLNet.Data;

namespace Vae.MLNet.Transforms;

/// <summary>
/// Per-slot statistics of a float or double column, ignoring NaN: count, mean and variance (Welford), min, max and
/// optionally value frequencies. Implicit zeros of sparse vectors are counted as zeros.
/// </summary>
internal sealed class SlotStatistics
{
    private readonly long[] _explicit;
    private readonly long[] _count;
    private readonly double[] _mean;
    private readonly double[] _m2;
    private readonly double[] _min;
    private readonly double[] _max;
    private readonly Dictionary<double, long>[]? _frequencies;
    private long _expected;
    private bool _finished;

    public SlotStatistics(int slots, bool trackFrequencies)
    {
        _explicit = new long[slots];
        _count = new long[slots];
        _mean = new double[slots];
        _m2 = new double[slots];
        _min = Enumerable.Repeat(double.PositiveInfinity, slots).ToArray();
        _max = Enumerable.Repeat(double.NegativeInfinity, slots).ToArray();
        if (trackFrequencies)
            _frequencies = Enumerable.Range(0, slots).Select(_ => new Dictionary<double, long>()).ToArray();
    }

    public int Slots => _count.Length;

    /// <summary>Adds one scalar value to slot 0 (a row of a scalar column).</summary>
    public void AddScalar(double x)
    {
        _expected++;
        Add(0, x);
    }

    /// <summary>Adds a vector row: per slot, or pooled into slot 0 when the statistics have a single slot.</summary>
    public void AddVector<T>(in VBuffer<T> v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool pooled = Slots == 1 && v.Length != 1;
        _expected += pooled ? v.Length : 1;
        var values = v.GetValues();
        if (v.IsDense)
        {
            for (int i = 0; i < values.Length; i++)
                Add(pooled ? 0 : i, double.CreateTruncating(values[i]));
            return;
        }
        var indices = v.GetIndices();
        for (int k = 0; k < values.Length; k++)
            Add(pooled ? 0 : indices[k], double.CreateTruncating(values[k]));
    }

    private void Add(int slot, double x)
    {
        _explicit[slot]++;
        if (double.IsNaN(x))
            return;
        long n = ++_count[slot];
        double delta = x - _mean[slot];
        _mean[slot] += delta / n;
        _m2[slot] += delta * (x - _mean[slot]);
        if (x < _min[slot])
            _min[slot] = x;
        if (x > _max[slot])
            _max[slot] = x;
        if (_frequencies != null)
            _frequencies[slot][x] = _frequencies[slot].GetValueOrDefault(x) + 1;
    }

    /// <summary>Folds in the implicit zeros; call once after the last row.</summary>
    public void Finish()
    {
        if (_finished)
            return;
        _finished = true;
        for (int s = 0; s < Slots; s++)
        {
            long zeros = _expected - _explicit[s];
            if (zeros <= 0)
                continue;
            // Merge a group of `zeros` values equal to 0 (mean 0, M2 0) into the running statistics.
            long n = _count[s] + zeros;
            double delta = -_mean[s];
            _m2[s] += delta * delta * _count[s] * zeros / n;
            _mean[s] = _mean[s] * _count[s] / n;
            _count[s] = n;
            _min[s] = Math.Min(_min[s], 0);
            _max[s] = Math.Max(_max[s], 0);
            if (_frequencies != null)
                _frequencies[s][0] = _frequencies[s].GetValueOrDefault(0) + zeros;
        }
    }

    public long Count(int slot) => _count[slot];

    public double Mean(int slot) => _mean[slot];

    /// <summary>The sample variance (divided by n − 1; 0 for fewer than two values).</summary>
    public double Variance(int slot) => _count[slot] > 1 ? _m2[slot] / (_count[slot] - 1) : 0;

    public double Min(int slot) => _min[slot];

    public double Max(int slot) => _max[slot];

    /// <summary>The most frequent value (the smallest among ties), or 0 when the slot has no values.</summary>
    public double Mode(int slot)
    {
        double best = 0;
        long bestCount = 0;
        foreach (var (value, count) in _frequencies![slot])
        {
            if (count > bestCount || (count == bestCount && value < best))
            {
                best = value;
                bestCount = count;
            }
        }
        return best;
    }
}

/// <summary>Reads a float or double column (scalar or vector) into <see cref="SlotStatistics"/> for up to a number of rows.</summary>
internal static class StatisticsReader
{
    /// <summary>An action that adds the current row's value of <paramref name="column"/> to <paramref name="stats"/>.</summary>
    public static Action MakeAdder(DataViewRow row, DataViewSchema.Column column, SlotStatistics stats) =>
        Generic.Invoke<Action>(new Func<DataViewRow, DataViewSchema.Column, SlotStatistics, Action>(MakeAdder<float>),
            FloatingItemType(column).RawType, row, column, stats);

    private static Action MakeAdder<T>(DataViewRow row, DataViewSchema.Column column, SlotStatistics stats)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (column.Type is VectorDataViewType)
        {
            var getter = row.GetGetter<VBuffer<T>>(column);
            var buffer = default(VBuffer<T>);
            return () =>
            {
                getter(ref buffer);
                stats.AddVector(buffer);
            };
        }
        var scalar = row.GetGetter<T>(column);
        T value = default;
        return () =>
        {
            scalar(ref value);
            stats.AddScalar(double.CreateTruncating(value));
        };
    }

    /// <summary>The item type of a float/double scalar or vector column, or the schema-mismatch exception.</summary>
    public static NumberDataViewType FloatingItemType(DataViewSchema.Column column, bool requireKnownSize = false)
    {
        var item = column.Type is VectorDataViewType v ? v.ItemType : column.Type;
        bool sizeOk = !requireKnownSize || column.Type is not VectorDataViewType { IsKnownSize: false };
        if ((item.Equals(NumberDataViewType.Single) || item.Equals(NumberDataViewType.Double)) && sizeOk)
            return (NumberDataViewType)item;
        throw SchemaErrors.Mismatch(column.Name, requireKnownSize ? "Single or Double, scalar or vector of known size" : "Single or Double, scalar or vector", column.Type);
    }

    /// <summary>Streams <paramref name="data"/> once, feeding each column's adder until it has read its row limit.</summary>
    public static void Run(IDataView data, IReadOnlyList<(DataViewSchema.Column Column, SlotStatistics Stats, long MaxRows)> columns)
    {
        using var cursor = data.GetRowCursor(columns.Select(c => c.Column).Distinct());
        var adders = columns.Select(c => MakeAdder(cursor, cursor.Schema[c.Column.Index], c.Stats)).ToArray();
        long limit = columns.Count == 0 ? 0 : columns.Max(c => c.MaxRows);
        for (long row = 0; row < limit && cursor.MoveNext(); row++)
        {
            for (int i = 0; i < adders.Length; i++)
            {
                if (row < columns[i].MaxRows)
                    adders[i]();
            }
        }
        foreach (var c in columns)
            c.Stats.Finish();
    }
}
