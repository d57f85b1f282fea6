using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet;

/// <summary>
/// The name <see cref="PooledPredictionEngine{TSrc, TDst}"/> had up to version 0.2.0, kept so that code written
/// against it still builds: every member forwards to a <see cref="PooledPredictionEngine{TSrc, TDst}"/>. Renamed
/// because Microsoft.Extensions.ML has a <c>PredictionEnginePool</c> of its own, and an application that uses both
/// packages would meet two types of one name.
/// </summary>
/// <typeparam name="TSrc">The input row class.</typeparam>
/// <typeparam name="TDst">The output row class.</typeparam>
[Obsolete("Renamed PooledPredictionEngine<TSrc, TDst> (Microsoft.Extensions.ML has a PredictionEnginePool of its own); this name will be removed in a later version.")]
public sealed class PredictionEnginePool<TSrc, TDst> : IDisposable
    where TSrc : class
    where TDst : class, new()
{
    private readonly PooledPredictionEngine<TSrc, TDst> _pool;

    /// <summary>As <see cref="PooledPredictionEngine{TSrc, TDst}(MLContext, ITransformer, int?, bool, SchemaDefinition?, SchemaDefinition?)"/>.</summary>
    /// <param name="mlContext">The context that creates the engines.</param>
    /// <param name="model">The fitted model; keep it undisposed while the pool is used.</param>
    /// <param name="maximumRetained">The most idle engines kept; default twice the processor count.</param>
    /// <param name="ignoreMissingColumns">As in <see cref="ModelOperationsCatalog.CreatePredictionEngine{TSrc, TDst}(ITransformer, bool, SchemaDefinition, SchemaDefinition)"/>.</param>
    /// <param name="inputSchemaDefinition">As in <see cref="ModelOperationsCatalog.CreatePredictionEngine{TSrc, TDst}(ITransformer, bool, SchemaDefinition, SchemaDefinition)"/>.</param>
    /// <param name="outputSchemaDefinition">As in <see cref="ModelOperationsCatalog.CreatePredictionEngine{TSrc, TDst}(ITransformer, bool, SchemaDefinition, SchemaDefinition)"/>.</param>
    public PredictionEnginePool(MLContext mlContext, ITransformer model, int? maximumRetained = null, bool ignoreMissingColumns = true,
        SchemaDefinition? inputSchemaDefinition = null, SchemaDefinition? outputSchemaDefinition = null) =>
        _pool = new(mlContext, model, maximumRetained, ignoreMissingColumns, inputSchemaDefinition, outputSchemaDefinition);

    /// <summary>The model the engines run.</summary>
    public ITransformer Model => _pool.Model;

    /// <summary>The most idle engines the pool keeps.</summary>
    public int MaximumRetained => _pool.MaximumRetained;

    /// <summary>As <see cref="PooledPredictionEngine{TSrc, TDst}.Predict"/>.</summary>
    /// <param name="example">The input row.</param>
    public TDst Predict(TSrc example) => _pool.Predict(example);

    /// <summary>As <see cref="PooledPredictionEngine{TSrc, TDst}.GetPredictionEngine"/>.</summary>
    public PredictionEngine<TSrc, TDst> GetPredictionEngine() => _pool.GetPredictionEngine();

    /// <summary>As <see cref="PooledPredictionEngine{TSrc, TDst}.ReturnPredictionEngine"/>.</summary>
    /// <param name="engine">An engine from <see cref="GetPredictionEngine"/>.</param>
    public void ReturnPredictionEngine(PredictionEngine<TSrc, TDst> engine) => _pool.ReturnPredictionEngine(engine);

    /// <summary>As <see cref="PooledPredictionEngine{TSrc, TDst}.Dispose"/>.</summary>
    public void Dispose() => _pool.Dispose();
}
