using System.Reflection;
using Vae.MLNet.Data;

namespace Vae.MLNet;

/// <summary>
/// Maps single examples through a fitted model. The row mapping chain, getters and member accessors are built once
/// at creation; <see cref="Predict(TSrc, ref TDst)"/> reuses the output object and its buffers, so a call allocates
/// nothing beyond what the user types need. Batched mappers (such as networks) run with batches of one row.
/// </summary>
/// <remarks>
/// Not thread-safe: an engine keeps per-call state (the current example and reusable buffers), so one engine must
/// not be used by two threads at once. To predict from several threads, rent engines from a
/// <see cref="PredictionEnginePool{TSrc, TDst}"/>, keep one engine per thread (for example through
/// <see cref="ThreadLocal{T}"/>), or lock around calls. Creating engines from the same transformer on several threads
/// is safe, and engines over one transformer may run at the same time (the transformer is only read). Dispose an
/// engine only when no call on it is running.
/// </remarks>
public sealed class PredictionEngine<TSrc, TDst> : IDisposable
    where TSrc : class
    where TDst : class, new()
{
    private readonly ObjectRow<TSrc> _input;
    private readonly DataViewRow _output;
    private readonly Action<TDst>[] _pumps;
    private bool _disposed;

    internal PredictionEngine(ITransformer transformer, SchemaDefinition inputDefinition, SchemaDefinition? outputDefinition, bool ignoreMissingColumns)
    {
        if (!transformer.IsRowToRowMapper)
            throw new InvalidOperationException($"{transformer.GetType().Name} cannot map single rows, so it cannot make predictions.");
        var inputSchema = ObjectGetters<TSrc>.MakeSchema(inputDefinition);
        _input = new ObjectRow<TSrc>(inputDefinition, inputSchema);
        var mapper = transformer.GetRowToRowMapper(inputSchema);
        OutputSchema = mapper.OutputSchema;
        (DataViewSchema.Column Column, MemberInfo Member)[] bindings;
        try
        {
            bindings = ObjectEnumerable.Bind<TDst>(OutputSchema, outputDefinition, ignoreMissingColumns);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ArgumentOutOfRangeException(nameof(ignoreMissingColumns), $"{e.Message} Pass ignoreMissingColumns: true to leave such members alone.");
        }
        _output = mapper.GetRow(_input, bindings.Select(b => b.Column).ToArray());
        _pumps = bindings.Select(b => MemberBinding.MakePump<TDst>(_output, _output.Schema[b.Column.Index], b.Member)).ToArray();
    }

    /// <summary>The schema of the model's output for <typeparamref name="TSrc"/> input.</summary>
    public DataViewSchema OutputSchema { get; }

    /// <summary>The prediction for <paramref name="example"/>, in a new object.</summary>
    public TDst Predict(TSrc example)
    {
        var prediction = new TDst();
        Predict(example, ref prediction);
        return prediction;
    }

    /// <summary>The prediction for <paramref name="example"/>, written into <paramref name="prediction"/> (created when null).</summary>
    public void Predict(TSrc example, ref TDst prediction)
    {
        ArgumentNullException.ThrowIfNull(example);
        ObjectDisposedException.ThrowIf(_disposed, this);
        prediction ??= new TDst();
        var current = _input.Current;
        current.Value = example;
        current.Position++;
        try
        {
            foreach (var pump in _pumps)
                pump(prediction);
        }
        finally
        {
            current.Value = null;
        }
    }

    /// <summary>Releases the engine's rows.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _output.Dispose();
    }
}
