namespace Vae.MLNet.Data;

/// <summary>An estimator with nothing to learn: <see cref="Fit"/> checks the input schema and returns its transformer.</summary>
public abstract class TrivialEstimator<TTransformer> : IEstimator<TTransformer>
    where TTransformer : class, ITransformer
{
    /// <summary>Wraps <paramref name="transformer"/>.</summary>
    protected TrivialEstimator(TTransformer transformer)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        Transformer = transformer;
    }

    /// <summary>The transformer <see cref="Fit"/> returns.</summary>
    protected TTransformer Transformer { get; }

    /// <inheritdoc/>
    public TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Transformer.GetOutputSchema(input.Schema);
        return Transformer;
    }

    /// <inheritdoc/>
    public abstract SchemaShape GetOutputSchema(SchemaShape inputSchema);
}
