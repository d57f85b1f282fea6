using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Vae.MLNet.Data;

namespace Vae.MLNet;

/// <summary>
/// A pool of <see cref="PredictionEngine{TSrc, TDst}"/>s over one model, for predicting from many threads at once:
/// ML.NET's <c>PredictionEnginePool</c> (Microsoft.Extensions.ML) without dependency injection, built from an
/// <see cref="MLContext"/> and a fitted <see cref="ITransformer"/>.
/// </summary>
/// <remarks>
/// <para>Thread rules:</para>
/// <list type="bullet">
/// <item>Every member of the pool may be called from any number of threads at once.</item>
/// <item>
/// <see cref="Predict"/> rents an engine, predicts and hands the engine back in one call; it is all most callers need.
/// </item>
/// <item>
/// An engine from <see cref="GetPredictionEngine"/> is not thread-safe: it belongs to the calling thread until that
/// thread passes it to <see cref="ReturnPredictionEngine"/> (once), and must not be used after that.
/// </item>
/// <item>
/// The pool is bounded: it keeps at most <see cref="MaximumRetained"/> idle engines. When more threads predict at once,
/// extra engines are created (callers never wait) and disposed when they are returned, as with ML.NET's pool.
/// </item>
/// <item>
/// The model must stay undisposed while the pool is used. Disposing the pool disposes its idle engines, and any engine
/// returned later; rented engines stay usable until returned.
/// </item>
/// </list>
/// </remarks>
/// <example>
/// <code>
/// using var pool = new PredictionEnginePool&lt;Input, Output&gt;(mlContext, model);
/// Parallel.ForEach(inputs, input =&gt; Console.WriteLine(pool.Predict(input).Score));
/// </code>
/// </example>
public sealed class PredictionEnginePool<TSrc, TDst> : IDisposable
    where TSrc : class
    where TDst : class, new()
{
    private readonly Func<PredictionEngine<TSrc, TDst>> _create;
    private readonly ConcurrentQueue<PredictionEngine<TSrc, TDst>> _idle = new();
    private readonly ConditionalWeakTable<PredictionEngine<TSrc, TDst>, Lease> _leases = new();
    private int _idleCount;
    private volatile bool _disposed;

    /// <summary>
    /// A pool of engines mapping <typeparamref name="TSrc"/> to <typeparamref name="TDst"/> through <paramref name="model"/>.
    /// One engine is created at once, so a schema mismatch surfaces here rather than at the first prediction.
    /// </summary>
    /// <param name="mlContext">The context that creates the engines.</param>
    /// <param name="model">The fitted model; keep it undisposed while the pool is used.</param>
    /// <param name="maximumRetained">The most idle engines kept; default twice the processor count (ML.NET's default).</param>
    /// <param name="ignoreMissingColumns">As in <see cref="ModelOperationsCatalog.CreatePredictionEngine{TSrc, TDst}"/>.</param>
    /// <param name="inputSchemaDefinition">As in <see cref="ModelOperationsCatalog.CreatePredictionEngine{TSrc, TDst}"/>.</param>
    /// <param name="outputSchemaDefinition">As in <see cref="ModelOperationsCatalog.CreatePredictionEngine{TSrc, TDst}"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximumRetained"/> is below 1, or the model does not fit <typeparamref name="TSrc"/>.</exception>
    public PredictionEnginePool(MLContext mlContext, ITransformer model, int? maximumRetained = null, bool ignoreMissingColumns = true,
        SchemaDefinition? inputSchemaDefinition = null, SchemaDefinition? outputSchemaDefinition = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        MaximumRetained = maximumRetained ?? Environment.ProcessorCount * 2;
        ArgumentOutOfRangeException.ThrowIfLessThan(MaximumRetained, 1, nameof(maximumRetained));
        Model = model;
        _create = () => mlContext.Model.CreatePredictionEngine<TSrc, TDst>(model, ignoreMissingColumns, inputSchemaDefinition, outputSchemaDefinition);
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
            // An engine interrupted mid-prediction is not trusted again.
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
        if (_idle.TryDequeue(out var engine))
        {
            Interlocked.Decrement(ref _idleCount);
            Volatile.Write(ref _leases.GetValue(engine, _ => new Lease()).Rented, 1);
            return engine;
        }
        engine = _create();
        _leases.Add(engine, new Lease { Rented = 1 });
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
        if (_disposed || Interlocked.Increment(ref _idleCount) > MaximumRetained)
        {
            if (!_disposed)
                Interlocked.Decrement(ref _idleCount);
            engine.Dispose();
            return;
        }
        _idle.Enqueue(engine);
        if (_disposed)
            DrainIdle();
    }

    /// <summary>Disposes the idle engines; engines still rented are disposed when returned.</summary>
    public void Dispose()
    {
        _disposed = true;
        DrainIdle();
    }

    private void DrainIdle()
    {
        while (_idle.TryDequeue(out var engine))
            engine.Dispose();
    }

    private sealed class Lease
    {
        public int Rented;
    }
}
