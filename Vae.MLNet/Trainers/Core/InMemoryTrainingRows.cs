namespace Vae.MLNet.Trainers;

/// <summary>Training rows held in memory as one row-major feature array plus labels and optional weights.</summary>
internal sealed class InMemoryTrainingRows : ITrainingRows
{
    private readonly float[] _features;
    private readonly float[] _labels;
    private readonly float[]? _weights;
    private int[]? _order;

    /// <summary>Wraps the arrays without copying; they must not change while a solver runs.</summary>
    public InMemoryTrainingRows(float[] features, float[] labels, float[]? weights, int featureCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (featureCount <= 0)
            throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "The feature count must be positive.");
        if (labels.Length == 0)
            throw new ArgumentException("The training set has no rows.", nameof(labels));
        if (features.Length != (long)labels.Length * featureCount)
            throw new ArgumentException(
                $"Expected {labels.Length} rows x {featureCount} features = {(long)labels.Length * featureCount} values, got {features.Length}.",
                nameof(features));
        if (weights is not null && weights.Length != labels.Length)
            throw new ArgumentException($"Expected {labels.Length} example weights, got {weights.Length}.", nameof(weights));
        CheckValues(features, labels, weights, featureCount);
        _features = features;
        _labels = labels;
        _weights = weights;
        FeatureCount = featureCount;
    }

    /// <summary>Copies jagged rows into a new instance.</summary>
    public static InMemoryTrainingRows FromRows(float[][] rows, float[] labels, float[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Length == 0)
            throw new ArgumentException("The training set has no rows.", nameof(rows));
        int d = rows[0].Length;
        var flat = new float[rows.Length * d];
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i].Length != d)
                throw new ArgumentException($"Row {i} has {rows[i].Length} features; row 0 has {d}.", nameof(rows));
            rows[i].CopyTo(flat, i * d);
        }
        return new InMemoryTrainingRows(flat, labels, weights, d);
    }

    /// <inheritdoc/>
    public int FeatureCount { get; }

    /// <inheritdoc/>
    public int RowCount => _labels.Length;

    /// <inheritdoc/>
    public void ForEach(RowVisitor visitor, Random? shuffle = null)
    {
        int d = FeatureCount;
        if (shuffle is null)
        {
            for (int i = 0; i < _labels.Length; i++)
                visitor(i, _features.AsSpan(i * d, d), _labels[i], _weights?[i] ?? 1f);
            return;
        }
        _order ??= Enumerable.Range(0, _labels.Length).ToArray();
        shuffle.Shuffle(_order);
        foreach (int i in _order)
            visitor(i, _features.AsSpan(i * d, d), _labels[i], _weights?[i] ?? 1f);
    }

    private static void CheckValues(float[] features, float[] labels, float[]? weights, int d)
    {
        for (int i = 0; i < features.Length; i++)
        {
            if (!float.IsFinite(features[i]))
                throw new ArgumentException($"Feature {i % d} of row {i / d} is {features[i]}; features must be finite.", nameof(features));
        }
        for (int i = 0; i < labels.Length; i++)
        {
            if (!float.IsFinite(labels[i]))
                throw new ArgumentException($"The label of row {i} is {labels[i]}; labels must be finite.", nameof(labels));
            if (weights is not null && !(weights[i] >= 0 && float.IsFinite(weights[i])))
                throw new ArgumentException($"The weight of row {i} is {weights[i]}; weights must be finite and non-negative.", nameof(weights));
        }
    }
}
