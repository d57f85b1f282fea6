using Vae.MLNet.Data;
using Vae.MLNet.Transforms;

namespace Vae.MLNet.Trainers;

/// <summary>
/// Base of the trainers: an estimator whose <see cref="Fit"/> streams the feature, label and optional weight columns
/// to a solver and returns a prediction transformer holding the trained model.
/// </summary>
/// <typeparam name="TTransformer">The prediction transformer <see cref="Fit"/> returns.</typeparam>
/// <typeparam name="TModel">The type of the trained model parameters.</typeparam>
public abstract class TrainerEstimatorBase<TTransformer, TModel> : IEstimator<TTransformer>
    where TTransformer : class, ISingleFeaturePredictionTransformer<TModel>
    where TModel : class
{
    private readonly PredictionKind _kind;

    private protected TrainerEstimatorBase(MLContext context, TrainerInputBaseWithWeight options, PredictionKind kind)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.FeatureColumnName, nameof(options.FeatureColumnName));
        ArgumentException.ThrowIfNullOrEmpty(options.LabelColumnName, nameof(options.LabelColumnName));
        Context = context;
        _kind = kind;
        FeatureColumn = new SchemaShape.Column(options.FeatureColumnName, SchemaShape.VectorKind.Vector, NumberDataViewType.Single, false);
        LabelColumn = kind.LabelShape(options.LabelColumnName);
        if (!string.IsNullOrEmpty(options.ExampleWeightColumnName))
            WeightColumn = new SchemaShape.Column(options.ExampleWeightColumnName, SchemaShape.VectorKind.Scalar, NumberDataViewType.Single, false);
    }

    /// <summary>The feature column the trainer reads (a known-size vector of Single, or a Single).</summary>
    public SchemaShape.Column FeatureColumn { get; }

    /// <summary>The label column the trainer reads.</summary>
    public SchemaShape.Column LabelColumn { get; }

    /// <summary>The example-weight column the trainer reads; not <see cref="SchemaShape.Column.IsValid"/> when there is none.</summary>
    public SchemaShape.Column WeightColumn { get; }

    private protected MLContext Context { get; }

    /// <summary>Whether the solver visits rows in random order, so the training rows should support shuffled passes.</summary>
    private protected virtual bool ShufflesRows => false;

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        FeatureColumns.Check(inputSchema, FeatureColumn.Name);
        var label = _kind.CheckLabel(inputSchema, LabelColumn.Name);
        if (WeightColumn.IsValid)
            FeatureColumns.CheckWeight(inputSchema, WeightColumn.Name);
        return ShapeHelper.With(inputSchema, _kind.OutputShapes(label));
    }

    /// <summary>Trains on <paramref name="input"/>, reading it in as many passes as the solver needs (no copy is kept).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type.</exception>
    /// <exception cref="InvalidOperationException">No row is usable, a label is out of range, or the solver failed.</exception>
    public TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var features = FeatureColumns.Find(input.Schema, FeatureColumn.Name);
        var label = _kind.FindLabel(input.Schema, LabelColumn.Name);
        var weight = WeightColumn.IsValid ? FeatureColumns.FindWeight(input.Schema, WeightColumn.Name) : (DataViewSchema.Column?)null;
        var channel = Context.CreateChannel(GetType().Name);
        var rows = new DataViewTrainingRows(input, features, label, weight, _kind, ShufflesRows, channel);
        return Train(rows, features, label, channel);
    }

    /// <summary>Runs the solver on <paramref name="rows"/> and wraps the model in the transformer.</summary>
    private protected abstract TTransformer Train(ITrainingRows rows, DataViewSchema.Column features, DataViewSchema.Column label, LoggingChannel channel);
}
