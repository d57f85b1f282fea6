using Vae.MLNet.Trainers;

namespace Vae.MLNet.Data;

/// <summary>
/// The transformer of binary classification trainers: appends <c>Score</c> (the raw margin), <c>Probability</c>
/// (when the model is calibrated) and <c>PredictedLabel</c> (<c>Score &gt; Threshold</c>).
/// </summary>
/// <typeparam name="TModel">The type of the model parameters.</typeparam>
public sealed class BinaryPredictionTransformer<TModel> : PredictionTransformerBase<TModel>
    where TModel : class
{
    private readonly IScalarScorer _scorer;

    internal BinaryPredictionTransformer(TModel model, string featureColumnName, DataViewType featureColumnType, float threshold = 0)
        : base(model, featureColumnName, featureColumnType, Scorer<IScalarScorer>(model, "one score per row").FeatureCount)
    {
        _scorer = Scorer<IScalarScorer>(model, "one score per row");
        Threshold = threshold;
    }

    /// <summary>The score above which <c>PredictedLabel</c> is true.</summary>
    public float Threshold { get; }

    /// <summary>The column <see cref="Threshold"/> applies to: always <c>Score</c>.</summary>
    public string ThresholdColumn => DefaultColumnNames.Score;

    private protected override string Kind => PredictionTransformerLoader.BinaryKind;

    private protected override void Describe(SavedPrediction saved) => saved.Threshold = Threshold;

    /// <inheritdoc/>
    protected override IRowToRowMapper MakeRowMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    private sealed class Mapper(BinaryPredictionTransformer<TModel> owner, DataViewSchema inputSchema)
        : ScoringMapper(inputSchema, owner.FindFeatures(inputSchema))
    {
        private readonly IProbabilityScorer? _calibrated = owner._scorer as IProbabilityScorer;

        protected override int ValueCount => 2;

        protected override DataViewSchema.DetachedColumn[] GetOutputColumns()
        {
            var score = new DataViewSchema.DetachedColumn(DefaultColumnNames.Score, NumberDataViewType.Single);
            var predicted = new DataViewSchema.DetachedColumn(DefaultColumnNames.PredictedLabel, BooleanDataViewType.Instance);
            return _calibrated is null ? [score, predicted]
                : [score, new DataViewSchema.DetachedColumn(DefaultColumnNames.Probability, NumberDataViewType.Single), predicted];
        }

        protected override void Score(ReadOnlySpan<float> features, Span<float> values)
        {
            values[0] = owner._scorer.Score(features);
            values[1] = _calibrated?.Probability(values[0]) ?? float.NaN;
        }

        protected override Delegate MakeColumnGetter(Func<float[]> values, int outputColumnIndex)
        {
            if (AddedColumns[outputColumnIndex].Name == DefaultColumnNames.PredictedLabel)
                return (ValueGetter<bool>)((ref bool value) => value = values()[0] > owner.Threshold);
            int slot = outputColumnIndex; // Score is value 0, Probability value 1
            return (ValueGetter<float>)((ref float value) => value = values()[slot]);
        }
    }
}
