using Vae.MLNet.Data;

namespace Vae.MLNet.Trainers;

/// <summary>
/// Loads the prediction transformers. The model is loaded first (through the registry, so only allow-listed kinds),
/// and the transformer is created for the model's own type, so a loaded model can be cast to the same
/// <c>MulticlassPredictionTransformer&lt;MaximumEntropyModelParameters&gt;</c> (etc.) that training returned.
/// </summary>
internal static class PredictionTransformerLoader
{
    public const string BinaryKind = "BinaryPredictionTransformer";
    public const string MulticlassKind = "MulticlassPredictionTransformer";
    public const string RegressionKind = "RegressionPredictionTransformer";

    public static ICanSaveModel LoadBinary(ModelLoadContext ctx) =>
        Load(ctx, new Func<object, SavedPrediction, DataViewType, string, ITransformer>(NewBinary<object>));

    public static ICanSaveModel LoadMulticlass(ModelLoadContext ctx) =>
        Load(ctx, new Func<object, SavedPrediction, DataViewType, string, ITransformer>(NewMulticlass<object>));

    public static ICanSaveModel LoadRegression(ModelLoadContext ctx) =>
        Load(ctx, new Func<object, SavedPrediction, DataViewType, string, ITransformer>(NewRegression<object>));

    private static ITransformer Load(ModelLoadContext ctx, Delegate factory)
    {
        var saved = ctx.ReadOptions<SavedPrediction>();
        DataViewType featureType;
        try
        {
            featureType = TypeSpec.Parse(saved.FeatureColumnType);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{ctx.Where}: invalid feature column type ({e.Message}).", e);
        }
        var model = ctx.LoadSubModel<ICanSaveModel>("Model");
        try
        {
            return Generic.Invoke<ITransformer>(factory, model.GetType(), model, saved, featureType, ctx.Where);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{ctx.Where}: {e.Message}", e);
        }
    }

    private static ITransformer NewBinary<TModel>(object model, SavedPrediction saved, DataViewType featureType, string where)
        where TModel : class =>
        new BinaryPredictionTransformer<TModel>((TModel)model, saved.FeatureColumnName, featureType, saved.Threshold);

    private static ITransformer NewRegression<TModel>(object model, SavedPrediction saved, DataViewType featureType, string where)
        where TModel : class =>
        new RegressionPredictionTransformer<TModel>((TModel)model, saved.FeatureColumnName, featureType);

    private static ITransformer NewMulticlass<TModel>(object model, SavedPrediction saved, DataViewType featureType, string where)
        where TModel : class
    {
        var label = SchemaJson.Read(saved.Label ?? throw new InvalidDataException($"{where}: the multiclass transformer lacks its label column."), where);
        if (label.Count != 1)
            throw new InvalidDataException($"{where}: expected one label column, found {label.Count}.");
        return new MulticlassPredictionTransformer<TModel>((TModel)model, saved.FeatureColumnName, featureType, new DataViewSchema.DetachedColumn(label[0]));
    }
}
