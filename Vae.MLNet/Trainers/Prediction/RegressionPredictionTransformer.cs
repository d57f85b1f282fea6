using Vae.MLNet.Trainers;

namespace Vae.MLNet.Data;

/// <summary>The transformer of regression trainers: appends <c>Score</c>, the predicted value.</summary>
/// <typeparam name="TModel">The type of the model parameters.</typeparam>
public sealed class RegressionPredictionTransformer<TModel> : PredictionTransformerBase<TModel>
    where TModel : class
{
    private readonly IScalarScorer _scorer;

    internal RegressionPredictionTransformer(TModel model, string featureColumnName, DataViewType featureColumnType)
        : base(model, featureColumnName, featureColumnType, Scorer<IScalarScorer>(model, "one score per row").FeatureCount)
    {
        _scorer = Scorer<IScalarScorer>(model, "one score per row");
    }

    private protected override string Kind => PredictionTransformerLoader.RegressionKind;

    /// <inheritdoc/>
    protected override IRowToRowMapper MakeRowMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    private sealed class Mapper(RegressionPredictionTransformer<TModel> owner, DataViewSchema inputSchema)
        : ScoringMapper(inputSchema, owner.FindFeatures(inputSchema))
    {
        protected override int ValueCount => 1;

        protected override DataViewSchema.DetachedColumn[] GetOutputColumns() =>
            [new(DefaultColumnNames.Score, NumberDataViewType.Single)];

        protected override void Score(ReadOnlySpan<float> features, Span<float> values) => values[0] = owner._scorer.Score(features);

        protected override Delegate MakeColumnGetter(Func<float[]> values, int outputColumnIndex) =>
            (ValueGetter<float>)((ref float value) => value = values()[0]);
    }
}
