using Vae.MLNet.Data;

namespace Vae.MLNet;

public sealed partial class DataOperationsCatalog
{
    /// <summary>A train set and a test set split from one data view.</summary>
    public sealed class TrainTestData
    {
        internal TrainTestData(IDataView trainSet, IDataView testSet)
        {
            TrainSet = trainSet;
            TestSet = testSet;
        }

        /// <summary>The rows not in the test set.</summary>
        public IDataView TrainSet { get; }

        /// <summary>About <c>testFraction</c> of the rows.</summary>
        public IDataView TestSet { get; }
    }

    /// <summary>
    /// Splits <paramref name="data"/> lazily and deterministically: each row goes to the test set when a hash of its
    /// id (or of its <paramref name="samplingKeyColumnName"/> value, so that equal keys stay together) and the seed falls
    /// below <paramref name="testFraction"/>. Without <paramref name="seed"/>, one is drawn from the context.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is outside (0, 1) or the key column does not exist.</exception>
    public TrainTestData TrainTestSplit(IDataView data, double testFraction = 0.1, string? samplingKeyColumnName = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), $"testFraction must be in (0, 1), got {testFraction}.");
        var key = samplingKeyColumnName == null ? (DataViewSchema.Column?)null
            : data.Schema.GetColumnOrNull(samplingKeyColumnName) ?? throw SchemaErrors.ColumnNotFound(samplingKeyColumnName, "sampling key", nameof(samplingKeyColumnName));
        int s = seed ?? Context.NextSeed();
        DataViewSchema.Column[] required = key is { } k ? [k] : [];
        IDataView Part(bool test) => new FilterDataView(data, required, cursor =>
        {
            var fraction = RowFilters.MakeFraction(cursor, key, s);
            return () => fraction() < testFraction == test;
        });
        return new TrainTestData(Part(test: false), Part(test: true));
    }

    /// <summary>
    /// Shuffles rows lazily: reads the source in random order when it supports it (<paramref name="shuffleSource"/>) and
    /// draws each row at random from a pool of <paramref name="shufflePoolSize"/> rows. Enumerations repeat for a seed.
    /// </summary>
    public IDataView ShuffleRows(IDataView input, int? seed = null, int shufflePoolSize = 1000, bool shuffleSource = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegative(shufflePoolSize);
        return new ShuffleDataView(input, seed ?? Context.NextSeed(), shufflePoolSize, shuffleSource);
    }

    /// <summary>
    /// Keeps column values in memory as they are first read (one pass per new set of columns; the
    /// <paramref name="columnsToPrefetch"/> are always cached with the first pass). Cached data can be shuffled.
    /// </summary>
    public IDataView Cache(IDataView input, params string[] columnsToPrefetch)
    {
        ArgumentNullException.ThrowIfNull(input);
        var prefetch = (columnsToPrefetch ?? []).Select(n => SchemaErrors.Find(input.Schema, n, "prefetch").Index).ToArray();
        return new CacheDataView(input, prefetch);
    }

    /// <summary>The first <paramref name="count"/> rows.</summary>
    public IDataView TakeRows(IDataView input, long count)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new RowRangeDataView(input, 0, count);
    }

    /// <summary>All rows but the first <paramref name="count"/>.</summary>
    public IDataView SkipRows(IDataView input, long count)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new RowRangeDataView(input, count, long.MaxValue);
    }

    /// <summary>Keeps rows whose numeric scalar column is in [<paramref name="lowerBound"/>, <paramref name="upperBound"/>); NaN rows are dropped.</summary>
    public IDataView FilterRowsByColumn(IDataView input, string columnName, double lowerBound = double.NegativeInfinity, double upperBound = double.PositiveInfinity)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!(lowerBound < upperBound))
            throw new ArgumentOutOfRangeException(nameof(upperBound), $"lowerBound ({lowerBound}) must be below upperBound ({upperBound}).");
        var column = SchemaErrors.Find(input.Schema, columnName);
        if (column.Type is not NumberDataViewType)
            throw SchemaErrors.Mismatch(columnName, "a numeric scalar column", column.Type, paramName: nameof(columnName));
        return RowFilters.ByRange(input, column, lowerBound, upperBound);
    }

    /// <summary>Drops rows with a missing value (NaN, or key 0) in any of <paramref name="columns"/>.</summary>
    public IDataView FilterRowsByMissingValues(IDataView input, params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (columns is not { Length: > 0 })
            throw new ArgumentException("Name at least one column.", nameof(columns));
        return RowFilters.ByMissing(input, columns.Select(n => SchemaErrors.Find(input.Schema, n)).ToArray());
    }
}
