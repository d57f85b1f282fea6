namespace Vae.MLNet.Trainers;

/// <summary>
/// Training rows streamed from a data view: every pass opens a fresh cursor over the feature, label and weight
/// columns, so nothing is held in memory beyond one row. As in ML.NET, rows whose label is missing (key 0, NaN),
/// whose features are not all finite, or whose weight is negative or not finite are skipped.
/// </summary>
/// <remarks>
/// The first pass counts the rows (and, when shuffling is wanted and the view supports it, records each row's id so
/// that shuffled passes can report stored positions). Views that cannot shuffle are read in stored order.
/// </remarks>
internal sealed class DataViewTrainingRows : ITrainingRows
{
    private const int MissingLabel = 0, BadFeatures = 1, BadWeight = 2;

    private readonly IDataView _data;
    private readonly DataViewSchema.Column _features;
    private readonly DataViewSchema.Column _label;
    private readonly DataViewSchema.Column? _weight;
    private readonly PredictionKind _kind;
    private readonly DataViewSchema.Column[] _active;
    private readonly Dictionary<DataViewRowId, int>? _positions;

    /// <summary>Checks nothing about the schema (the caller did) and counts the usable rows in one pass.</summary>
    /// <exception cref="InvalidOperationException">No row is usable.</exception>
    public DataViewTrainingRows(
        IDataView data, DataViewSchema.Column features, DataViewSchema.Column label, DataViewSchema.Column? weight,
        PredictionKind kind, bool shuffle, LoggingChannel channel)
    {
        _data = data;
        _features = features;
        _label = label;
        _weight = weight;
        _kind = kind;
        _active = weight is { } w ? [features, label, w] : [features, label];
        FeatureCount = FeatureColumns.Size(features.Type);
        if (shuffle && !data.CanShuffle)
            channel.Warning("The training data cannot be shuffled, so rows are visited in stored order. Append a cache (AppendCacheCheckpoint) to shuffle.");
        _positions = shuffle && data.CanShuffle ? [] : null;

        var skipped = new int[3];
        RowCount = Pass(null, null, skipped);
        string[] what = [$"a missing label in '{label.Name}'", $"NaN or infinite features in '{features.Name}'", $"a negative or non-finite weight in '{weight?.Name}'"];
        string reasons = string.Join("; ", what.Select((w, i) => skipped[i] > 0 ? $"{skipped[i]} with {w}" : null).OfType<string>());
        if (RowCount == 0)
            throw new InvalidOperationException($"The training data has no usable rows: {(reasons.Length > 0 ? reasons : "it is empty")}.");
        if (reasons.Length > 0)
            channel.Warning($"Skipped {skipped.Sum()} of {RowCount + skipped.Sum()} training rows: {reasons}.");
    }

    /// <inheritdoc/>
    public int FeatureCount { get; }

    /// <inheritdoc/>
    public int RowCount { get; }

    /// <inheritdoc/>
    public void ForEach(RowVisitor visitor, Random? shuffle = null)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        int count = Pass(_positions is null ? null : shuffle, visitor, null);
        if (count != RowCount)
            throw new InvalidOperationException($"The training data changed between passes: the first pass had {RowCount} usable rows, a later one {count}.");
    }

    /// <summary>
    /// Reads every usable row in stored order, or in an order drawn from <paramref name="order"/>; counts skipped rows
    /// by reason into <paramref name="skipped"/> on the first pass, which also records row ids when shuffling is on.
    /// </summary>
    private int Pass(Random? order, RowVisitor? visitor, int[]? skipped)
    {
        using var cursor = _data.GetRowCursor(_active, order);
        var label = _kind.MakeLabelGetter(cursor, _label);
        var features = new FeatureReader(cursor, _features);
        var weightGetter = _weight is { } w ? cursor.GetGetter<float>(w) : null;
        var idGetter = _positions is null ? null : cursor.GetIdGetter();
        float weight = 1;
        var id = default(DataViewRowId);
        int count = 0;
        while (cursor.MoveNext())
        {
            if (!label(out float y))
            {
                CountSkip(skipped, MissingLabel);
                continue;
            }
            var x = features.Read();
            if (!FeatureReader.AllFinite(x))
            {
                CountSkip(skipped, BadFeatures);
                continue;
            }
            weightGetter?.Invoke(ref weight);
            if (!(weight >= 0 && float.IsFinite(weight)))
            {
                CountSkip(skipped, BadWeight);
                continue;
            }
            int position = count++;
            if (idGetter is not null)
            {
                idGetter(ref id);
                if (skipped is not null && !_positions!.TryAdd(id, position))
                    throw new InvalidOperationException($"Two training rows share the row id {id}; the data view's ids must be unique to shuffle.");
                if (order is not null && !_positions!.TryGetValue(id, out position))
                    throw new InvalidOperationException($"The training data changed between passes: row id {id} was not seen in the first pass.");
            }
            visitor?.Invoke(position, x, y, weight);
        }
        return count;
    }

    private static void CountSkip(int[]? skipped, int reason)
    {
        if (skipped is not null)
            skipped[reason]++;
    }
}
