namespace Vae.MLNet.Data;

/// <summary>Estimators fitted one after another, each on the output of the transformers before it.</summary>
public sealed class EstimatorChain<TLastTransformer> : IEstimator<TransformerChain<TLastTransformer>>
    where TLastTransformer : class, ITransformer
{
    private readonly IEstimator<ITransformer>[] _estimators;
    private readonly bool[] _cacheBefore;
    private readonly bool _cachePending;

    /// <summary>An empty chain (use with <c>TLastTransformer = ITransformer</c>).</summary>
    public EstimatorChain() : this([], [], false)
    {
    }

    private EstimatorChain(IEstimator<ITransformer>[] estimators, bool[] cacheBefore, bool cachePending)
    {
        _estimators = estimators;
        _cacheBefore = cacheBefore;
        _cachePending = cachePending;
        LastEstimator = estimators.Length == 0 ? null : estimators[^1] as IEstimator<TLastTransformer>;
    }

    /// <summary>The last estimator (null for an empty chain).</summary>
    public IEstimator<TLastTransformer>? LastEstimator { get; }

    /// <summary>A new chain with <paramref name="estimator"/> appended.</summary>
    public EstimatorChain<TNewTrans> Append<TNewTrans>(IEstimator<TNewTrans> estimator)
        where TNewTrans : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(estimator);
        return new EstimatorChain<TNewTrans>([.. _estimators, estimator], [.. _cacheBefore, _cachePending], false);
    }

    /// <summary>
    /// A new chain that caches the data produced so far before fitting the next estimator, so estimators that read the
    /// data several times do not recompute the steps before. The cache is used while fitting only.
    /// </summary>
    public EstimatorChain<TLastTransformer> AppendCacheCheckpoint(MLContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _estimators.Length == 0 ? this : new EstimatorChain<TLastTransformer>(_estimators, _cacheBefore, true);
    }

    /// <inheritdoc/>
    public TransformerChain<TLastTransformer> Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetOutputSchema(SchemaShape.Create(input.Schema));
        var transformers = new ITransformer[_estimators.Length];
        var data = input;
        for (int i = 0; i < _estimators.Length; i++)
        {
            if (_cacheBefore[i])
                data = new CacheDataView(data, []);
            transformers[i] = _estimators[i].Fit(data);
            if (i < _estimators.Length - 1)
                data = transformers[i].Transform(data);
        }
        return new TransformerChain<TLastTransformer>(transformers);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        foreach (var e in _estimators)
            inputSchema = e.GetOutputSchema(inputSchema);
        return inputSchema;
    }
}
