using Vae.MLNet.Trainers;

namespace Vae.MLNet.Data;

/// <summary>
/// The row mapper of the prediction transformers: reads the feature column, scores each row once however many of
/// the added columns are read (cached by row position), and serves the added columns from those values.
/// </summary>
internal abstract class ScoringMapper : RowMapper
{
    private readonly DataViewSchema.Column _features;

    protected ScoringMapper(DataViewSchema inputSchema, DataViewSchema.Column features) : base(inputSchema) => _features = features;

    /// <summary>How many values <see cref="Score"/> writes per row.</summary>
    protected abstract int ValueCount { get; }

    /// <summary>Computes a row's values from its dense features.</summary>
    protected abstract void Score(ReadOnlySpan<float> features, Span<float> values);

    /// <summary>The getter of added column <paramref name="outputColumnIndex"/>, reading the current row's values.</summary>
    protected abstract Delegate MakeColumnGetter(Func<float[]> values, int outputColumnIndex);

    protected sealed override IEnumerable<DataViewSchema.Column> GetInputDependencies(int outputColumnIndex) => [_features];

    protected sealed override Delegate MakeGetter(DataViewRow input, int outputColumnIndex) =>
        MakeGetters(input, j => j == outputColumnIndex)[outputColumnIndex]!;

    protected sealed override Delegate?[] MakeGetters(DataViewRow input, Func<int, bool> isOutputActive)
    {
        var getters = new Delegate?[AddedColumns.Length];
        // With no score column wanted, the features are not active upstream and must not be read.
        if (!Enumerable.Range(0, getters.Length).Any(isOutputActive)) return getters;
        var features = new FeatureReader(input, input.Schema[_features.Index]);
        var values = new float[ValueCount];
        long scored = long.MinValue;
        float[] Current()
        {
            if (input.Position != scored)
            {
                Score(features.Read(), values);
                scored = input.Position;
            }
            return values;
        }
        for (int j = 0; j < getters.Length; j++)
        {
            if (isOutputActive(j))
                getters[j] = MakeColumnGetter(Current, j);
        }
        return getters;
    }
}
