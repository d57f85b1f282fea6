namespace Vae.MLNet;

/// <summary>A transformer that scores with a trained model, which it exposes.</summary>
/// <typeparam name="TModel">The type of the model parameters.</typeparam>
public interface IPredictionTransformer<out TModel> : ITransformer
    where TModel : class
{
    /// <summary>The trained model.</summary>
    TModel Model { get; }
}

/// <summary>A prediction transformer whose model reads one feature column.</summary>
/// <typeparam name="TModel">The type of the model parameters.</typeparam>
public interface ISingleFeaturePredictionTransformer<out TModel> : IPredictionTransformer<TModel>
    where TModel : class
{
    /// <summary>The name of the feature column the model reads.</summary>
    string FeatureColumnName { get; }

    /// <summary>The type of the feature column the model was trained on.</summary>
    DataViewType FeatureColumnType { get; }
}
