using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Vae.MLNet.Trainers;

namespace Vae.MLNet.Data;

/// <summary>
/// Base of the transformers trainers return: scores the feature column of each row lazily with <see cref="Model"/>
/// and appends the task's prediction columns. Saved as its kind, options and the model as the sub-model "Model".
/// </summary>
/// <typeparam name="TModel">The type of the model parameters.</typeparam>
public abstract class PredictionTransformerBase<TModel> : RowToRowTransformerBase, ISingleFeaturePredictionTransformer<TModel>
    where TModel : class
{
    private protected PredictionTransformerBase(TModel model, string featureColumnName, DataViewType featureColumnType, int featureCount)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(featureColumnName);
        ArgumentNullException.ThrowIfNull(featureColumnType);
        if (model is not ICanSaveModel)
            throw new ArgumentException($"A {model.GetType().Name} cannot be saved, so it cannot be a prediction transformer's model.", nameof(model));
        if (FeatureColumns.Size(featureColumnType) != featureCount)
            throw new ArgumentException($"The model reads {featureCount} features; the feature column type {featureColumnType} does not hold that many.", nameof(featureColumnType));
        Model = model;
        FeatureColumnName = featureColumnName;
        FeatureColumnType = featureColumnType;
    }

    /// <inheritdoc/>
    public TModel Model { get; }

    /// <inheritdoc/>
    public string FeatureColumnName { get; }

    /// <inheritdoc/>
    public DataViewType FeatureColumnType { get; }

    /// <summary>The model as the scoring interface the derived transformer needs (<paramref name="needs"/> says what it must produce).</summary>
    private protected static TScorer Scorer<TScorer>(TModel model, string needs) where TScorer : class =>
        model as TScorer ?? throw new ArgumentException(
            $"A {model?.GetType().Name ?? "null"} cannot be used here: the transformer needs a model that produces {needs}.", nameof(model));

    /// <summary>The kind the transformer is saved and registered under.</summary>
    private protected abstract string Kind { get; }

    /// <summary>The feature column of <paramref name="inputSchema"/>, checked to hold as many values as the model reads.</summary>
    private protected DataViewSchema.Column FindFeatures(DataViewSchema inputSchema) =>
        FeatureColumns.Find(inputSchema, FeatureColumnName, FeatureColumns.Size(FeatureColumnType));

    /// <summary>Adds what a derived transformer saves besides the feature column.</summary>
    private protected virtual void Describe(SavedPrediction saved)
    {
    }

    /// <inheritdoc/>
    public sealed override void Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.SetKind(Kind);
        var saved = new SavedPrediction { FeatureColumnName = FeatureColumnName, FeatureColumnType = TypeSpec.Format(FeatureColumnType) };
        Describe(saved);
        ctx.WriteOptions(saved);
        ctx.SaveSubModel("Model", (ICanSaveModel)Model);
    }
}

/// <summary>The options of a saved prediction transformer (the fields a kind does not use stay at their defaults).</summary>
internal sealed class SavedPrediction
{
    public string FeatureColumnName { get; set; } = "";

    public string FeatureColumnType { get; set; } = "";

    /// <summary>Binary: the score above which the predicted label is true.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public float Threshold { get; set; }

    /// <summary>Multiclass: the training label column (its key type and key values), as a one-column schema.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonArray? Label { get; set; }
}
