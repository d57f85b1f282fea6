using System.Runtime.CompilerServices;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet;

/// <summary>
/// A pool of ML.NET <see cref="PredictionEngine{TSrc, TDst}"/>s over one model, for predicting from many threads at
/// once: what Microsoft.Extensions.ML's <c>PredictionEnginePool</c> does, without dependency injection or model
/// reloading, built from an <see cref="MLContext"/> and a fitted <see cref="ITransformer"/> (a VAE pipeline or any other).
/// </summary>
/// <remarks>
/// <para>
/// Why it exists next to Microsoft.Extensions.ML: that package's <c>PredictionEnginePool&lt;TData, TPrediction&gt;</c>
/// is built for ASP.NET Core's dependency injection (registered with <c>AddPredictionEnginePool</c>, models loaded
/// from files or URIs by name and reloaded when they change); this class serves an application that already holds a
/// fitted or loaded model and only needs thread-safe predictions. Where Microsoft.Extensions.ML fits the application,
/// use it: it loads model zips with <c>MLContext.Model.Load</c>, which is all a saved VAE needs. This class was named <c>PredictionEnginePool</c> up to
/// version 0.2.0; it was renamed so that an application referencing both packages does not meet two types of that
/// name (<see cref="PredictionEnginePool{TSrc, TDst}"/> remains, obsolete, for code written against 0.2.0).
/// </para>
/// <para>
/// The engines sit in a <see cref="ObjectPool{T}"/> of Microsoft.Extensions.ObjectPool, the pool Microsoft.Extensions.ML
/// itself uses (that package is not served here): its default provider bounds the idle engines, disposes those returned
/// beyond the bound and, once the pool is disposed, every engine handed back. This class adds what a shared pool of
/// disposable engines needs on top: a schema check at construction, and refusing engines that are foreign or returned twice.
/// </para>
/// <para>Thread rules:</para>
/// <list type="bullet">
/// <item>Every member of the pool may be called from any number of threads at once.</item>
/// <item><see cref="Predict"/> rents an engine, predicts and hands the engine back in one call; it is all most callers need.</item>
/// <item>
/// An engine from <see cref="GetPredictionEngine"/> is not thread-safe: it belongs to the calling thread until that
/// thread passes it to <see cref="ReturnPredictionEngine"/> (once), and must not be used after that.
/// </item>
/// <item>
/// The pool keeps at most <see cref="MaximumRetained"/> idle engines. When more threads predict at once, extra engines
/// are created (callers never wait) and disposed when they are returned, as with ML.NET's pool.
/// </item>
/// <item>
/// The model must stay undisposed while the pool is used. Disposing the pool disposes its idle engines, and any engine
/// returned later; rented engines stay usable until returned.
/// </item>
/// </list>
/// </remarks>
/// <example>
/// <code>
/// using var pool = new PooledPredictionEngine&lt;Input, Output&gt;(mlContext, model);
/// Parallel.ForEach(inputs, input =&gt; Console.WriteLine(pool.Predict(input).LatentMean[0]));
/// </code>
/// </example>
/// <typeparam name="TSrc">The input row class.</typeparam>
/// <typeparam name="TDst">The output row class.</typeparam>
public sealed class PooledPredictionEngine<TSrc, TDst> : IDisposable
    where TSrc : class
    where TDst : class, new()
{
    private readonly ObjectPool<PredictionEngine<TSrc, TDst>> _pool;
    private readonly ConditionalWeakTable<PredictionEngine<TSrc, TDst>, Lease> _leases = new();
    private volatile bool _disposed;

    /// <summary>
    /// A pool of engines mapping <typeparamref name="TSrc"/> to <typeparamref name="TDst"/> through <paramref name="model"/>.
    /// One engine is created at once, so a schema mismatch surfaces here rather than at the first prediction.
    /// </summary>
    /// <param name="mlContext">The context that creates the engines.</param>
    /// <param name="model">The fitted model; keep it undisposed while the pool is used.</param>
    /// <param name="maximumRetained">The most idle engines kept; default twice the processor count (ML.NET's default).</param>
    /// <param name="ignoreMissingColumns">As in <see cref="ModelOperationsCatalog.CreatePredictionEngine{TSrc, TDst}(ITransformer, bool, SchemaDefinition, SchemaDefinition)"/>.</param>
    /// <param name="inputSchemaDefinition">As in <see cref="ModelOperationsCatalog.CreatePredictionEngine{TSrc, TDst}(ITransformer, bool, SchemaDefinition, SchemaDefinition)"/>.</param>
    /// <param name="outputSchemaDefinition">As in <see cref="ModelOperationsCatalog.CreatePredictionEngine{TSrc, TDst}(ITransformer, bool, SchemaDefinition, SchemaDefinition)"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximumRetained"/> is below 1, or the model does not fit <typeparamref name="TSrc"/> (ML.NET's message names the column).</exception>
    public PooledPredictionEngine(MLContext mlContext, ITransformer model, int? maximumRetained = null, bool ignoreMissingColumns = true,
        SchemaDefinition? inputSchemaDefinition = null, SchemaDefinition? outputSchemaDefinition = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        MaximumRetained = maximumRetained ?? Environment.ProcessorCount * 2;
        ArgumentOutOfRangeException.ThrowIfLessThan(MaximumRetained, 1, nameof(maximumRetained));
        Model = model;
        var shared = new UndisposableModel(model);
        var policy = new EnginePolicy(() => mlContext.Model.CreatePredictionEngine<TSrc, TDst>(shared, ignoreMissingColumns, inputSchemaDefinition, outputSchemaDefinition));
        // The default provider makes a disposing pool for disposable objects (DisposableObjectPool).
        _pool = new DefaultObjectPoolProvider { MaximumRetained = MaximumRetained }.Create(policy);
        ReturnPredictionEngine(GetPredictionEngine());
    }

    /// <summary>The model the engines run.</summary>
    public ITransformer Model { get; }

    /// <summary>The most idle engines the pool keeps.</summary>
    public int MaximumRetained { get; }

    /// <summary>The prediction for <paramref name="example"/>, through an engine rented for the call. Thread-safe.</summary>
    /// <exception cref="ObjectDisposedException">The pool is disposed.</exception>
    public TDst Predict(TSrc example)
    {
        ArgumentNullException.ThrowIfNull(example);
        var engine = GetPredictionEngine();
        TDst prediction;
        try
        {
            prediction = engine.Predict(example);
        }
        catch
        {
            // An engine interrupted mid-prediction is not trusted again: dispose it instead of returning it.
            _leases.Remove(engine);
            engine.Dispose();
            throw;
        }
        ReturnPredictionEngine(engine);
        return prediction;
    }

    /// <summary>
    /// An engine for the calling thread alone, idle or new. Hand it back with <see cref="ReturnPredictionEngine"/> when
    /// done, and do not use it afterwards.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The pool is disposed.</exception>
    public PredictionEngine<TSrc, TDst> GetPredictionEngine()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var engine = _pool.Get();
        Volatile.Write(ref _leases.GetValue(engine, _ => new Lease()).Rented, 1);
        return engine;
    }

    /// <summary>Hands back an engine from <see cref="GetPredictionEngine"/>: kept for reuse, or disposed when the pool is full or disposed.</summary>
    /// <exception cref="ArgumentException">The engine does not come from this pool.</exception>
    /// <exception cref="InvalidOperationException">The engine was already returned.</exception>
    public void ReturnPredictionEngine(PredictionEngine<TSrc, TDst> engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (!_leases.TryGetValue(engine, out var lease))
            throw new ArgumentException("The prediction engine was not created by this pool.", nameof(engine));
        if (Interlocked.Exchange(ref lease.Rented, 0) == 0)
            throw new InvalidOperationException("The prediction engine was already returned to the pool.");
        // Past the bound, or after the pool's disposal, ObjectPool disposes the engine instead of keeping it.
        _pool.Return(engine);
    }

    /// <summary>Disposes the idle engines; engines still rented are disposed when returned.</summary>
    public void Dispose()
    {
        _disposed = true;
        (_pool as IDisposable)?.Dispose();
    }

    private sealed class Lease
    {
        public int Rented;
    }

    /// <summary>
    /// The model as the pool's engines see it. ML.NET's <c>PredictionEngine.Dispose</c> also disposes the transformer it
    /// runs (a TransformerChain disposes its VAEs), so an engine over the model itself, disposed when the pool drops it,
    /// would dispose the model every other engine shares. Through this view, not disposable, it cannot.
    /// </summary>
    private sealed class UndisposableModel(ITransformer model) : ITransformer
    {
        public bool IsRowToRowMapper => model.IsRowToRowMapper;

        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => model.GetOutputSchema(inputSchema);

        public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => model.GetRowToRowMapper(inputSchema);

        public IDataView Transform(IDataView input) => model.Transform(input);

        public void Save(ModelSaveContext ctx) => model.Save(ctx);
    }

    private sealed class EnginePolicy(Func<PredictionEngine<TSrc, TDst>> create) : IPooledObjectPolicy<PredictionEngine<TSrc, TDst>>
    {
        public PredictionEngine<TSrc, TDst> Create() => create();

        public bool Return(PredictionEngine<TSrc, TDst> obj) => true;
    }
}
