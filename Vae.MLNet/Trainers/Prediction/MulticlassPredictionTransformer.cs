using Vae.MLNet.Trainers;

namespace Vae.MLNet.Data;

/// <summary>
/// The transformer of multiclass trainers: appends <c>Score</c> (one probability per class, with the label's key
/// values as slot names when they are text) and <c>PredictedLabel</c> (the most probable class as a key of the
/// training label's type, carrying its key values so that <c>MapKeyToValue</c> restores the original labels).
/// </summary>
/// <typeparam name="TModel">The type of the model parameters.</typeparam>
public sealed class MulticlassPredictionTransformer<TModel> : PredictionTransformerBase<TModel>
    where TModel : class
{
    private readonly IMulticlassScorer _scorer;
    private readonly DataViewSchema.DetachedColumn _label;

    /// <param name="model">The model.</param>
    /// <param name="featureColumnName">The feature column's name.</param>
    /// <param name="featureColumnType">The feature column's type.</param>
    /// <param name="label">The training label column: a key with one value per class; its key values are kept.</param>
    internal MulticlassPredictionTransformer(TModel model, string featureColumnName, DataViewType featureColumnType, DataViewSchema.DetachedColumn label)
        : base(model, featureColumnName, featureColumnType, Scorer<IMulticlassScorer>(model, "one probability per class").FeatureCount)
    {
        _scorer = Scorer<IMulticlassScorer>(model, "one probability per class");
        if (label.Type is not KeyDataViewType key || key.RawType != typeof(uint) || key.Count != (ulong)_scorer.ClassCount)
            throw new ArgumentException($"The label column '{label.Name}' must be a key of UInt32 with {_scorer.ClassCount} values (one per class); it is {label.Type}.", nameof(label));
        var keyValues = new DataViewSchema.Annotations.Builder();
        keyValues.Add(label.Annotations, kind => kind == AnnotationUtils.Kinds.KeyValues);
        _label = new DataViewSchema.DetachedColumn(label.Name, label.Type, keyValues.ToAnnotations());
    }

    private protected override string Kind => PredictionTransformerLoader.MulticlassKind;

    private protected override void Describe(SavedPrediction saved) => saved.Label = SchemaJson.Write(DataViewSchema.Create([_label]));

    /// <inheritdoc/>
    protected override IRowToRowMapper MakeRowMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    /// <summary>The first class with the highest probability, as a key (class + 1); 0 (missing) when the scores are NaN.</summary>
    private static uint ArgMaxKey(float[] probabilities)
    {
        uint key = 0;
        float best = float.NegativeInfinity;
        for (int c = 0; c < probabilities.Length; c++)
        {
            if (probabilities[c] > best)
                (best, key) = (probabilities[c], (uint)c + 1);
        }
        return key;
    }

    private sealed class Mapper(MulticlassPredictionTransformer<TModel> owner, DataViewSchema inputSchema)
        : ScoringMapper(inputSchema, owner.FindFeatures(inputSchema))
    {
        protected override int ValueCount => owner._scorer.ClassCount;

        protected override DataViewSchema.DetachedColumn[] GetOutputColumns()
        {
            var label = owner._label.Annotations.Schema.GetColumnOrNull(AnnotationUtils.Kinds.KeyValues);
            var scoreAnnotations = new DataViewSchema.Annotations.Builder();
            if (label?.Type is VectorDataViewType { ItemType: TextDataViewType } values && values.Size == ValueCount)
                scoreAnnotations.AddSlotNames(ValueCount, (ref VBuffer<ReadOnlyMemory<char>> names) => owner._label.Annotations.GetValue(AnnotationUtils.Kinds.KeyValues, ref names));
            return
            [
                new(DefaultColumnNames.Score, new VectorDataViewType(NumberDataViewType.Single, ValueCount), scoreAnnotations.ToAnnotations()),
                new(DefaultColumnNames.PredictedLabel, owner._label.Type, owner._label.Annotations),
            ];
        }

        protected override void Score(ReadOnlySpan<float> features, Span<float> values) => owner._scorer.Score(features, values);

        protected override Delegate MakeColumnGetter(Func<float[]> values, int outputColumnIndex)
        {
            if (outputColumnIndex == 1)
                return (ValueGetter<uint>)((ref uint value) => value = ArgMaxKey(values()));
            return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                var probabilities = values();
                var editor = VBufferEditor.Create(ref value, probabilities.Length);
                probabilities.CopyTo(editor.Values);
                value = editor.Commit();
            });
        }
    }
}
