using System.Collections;

namespace Vae.MLNet.Data;

/// <summary>Transformers applied one after another; the result of fitting an <see cref="EstimatorChain{TLastTransformer}"/>.</summary>
public sealed class TransformerChain<TLastTransformer> : ITransformer, IEnumerable<ITransformer>, IDisposable
    where TLastTransformer : class, ITransformer
{
    private readonly ITransformer[] _transformers;

    /// <summary>A chain of <paramref name="transformers"/>; the last must be a <typeparamref name="TLastTransformer"/>.</summary>
    public TransformerChain(params ITransformer[] transformers)
    {
        ArgumentNullException.ThrowIfNull(transformers);
        if (transformers.Any(t => t == null))
            throw new ArgumentException("A transformer chain cannot contain null.", nameof(transformers));
        if (transformers.Length == 0 ? typeof(TLastTransformer) != typeof(ITransformer) : transformers[^1] is not TLastTransformer)
            throw new ArgumentException($"The last transformer of the chain must be a {typeof(TLastTransformer).Name}.", nameof(transformers));
        _transformers = transformers.ToArray();
        LastTransformer = transformers.Length == 0 ? null! : (TLastTransformer)transformers[^1];
    }

    /// <summary>The last transformer (null for an empty chain).</summary>
    public TLastTransformer LastTransformer { get; }

    /// <summary>A new chain with <paramref name="transformer"/> appended.</summary>
    public TransformerChain<TNewLast> Append<TNewLast>(TNewLast transformer)
        where TNewLast : class, ITransformer =>
        new([.. _transformers, transformer]);

    /// <inheritdoc/>
    public bool IsRowToRowMapper => _transformers.All(t => t.IsRowToRowMapper);

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        foreach (var t in _transformers)
            inputSchema = t.GetOutputSchema(inputSchema);
        return inputSchema;
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetOutputSchema(input.Schema);
        foreach (var t in _transformers)
            input = t.Transform(input);
        return input;
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var mappers = new IRowToRowMapper[_transformers.Length];
        var schema = inputSchema;
        for (int i = 0; i < mappers.Length; i++)
        {
            if (!_transformers[i].IsRowToRowMapper)
                throw new InvalidOperationException($"Transformer {i} ({_transformers[i].GetType().Name}) of the chain cannot map single rows.");
            mappers[i] = _transformers[i].GetRowToRowMapper(schema);
            schema = mappers[i].OutputSchema;
        }
        return new CompositeRowToRowMapper(inputSchema, mappers);
    }

    /// <inheritdoc/>
    public void Save(ModelSaveContext ctx) => TransformerChainKind.Save(ctx, _transformers);

    /// <inheritdoc/>
    public IEnumerator<ITransformer> GetEnumerator() => ((IEnumerable<ITransformer>)_transformers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Disposes the transformers that are disposable.</summary>
    public void Dispose()
    {
        foreach (var t in _transformers)
            (t as IDisposable)?.Dispose();
    }
}

/// <summary>How chains are stored: kind "TransformerChain", option "count", sub-models "t0", "t1", ...</summary>
internal static class TransformerChainKind
{
    public const string Kind = "TransformerChain";

    private sealed class Options
    {
        public int Count { get; set; }
    }

    public static void Save(ModelSaveContext ctx, IReadOnlyList<ITransformer> transformers)
    {
        ctx.SetKind(Kind);
        ctx.WriteOptions(new Options { Count = transformers.Count });
        for (int i = 0; i < transformers.Count; i++)
            ctx.SaveSubModel($"t{i}", transformers[i]);
    }

    public static ICanSaveModel Load(ModelLoadContext ctx)
    {
        int count = ctx.ReadOptions<Options>().Count;
        if (count < 0 || count > 10_000)
            throw new InvalidDataException($"{ctx.Where}: invalid transformer count {count}.");
        var transformers = new ITransformer[count];
        for (int i = 0; i < count; i++)
            transformers[i] = ctx.LoadSubModel<ITransformer>($"t{i}");
        return new TransformerChain<ITransformer>(transformers);
    }
}
