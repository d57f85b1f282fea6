using System.Collections.Concurrent;

namespace Vae.MLNet;

/// <summary>
/// The allow-list of component kinds a model file may contain. Loading a model looks up each kind here and calls
/// its loader; type names are never read from files. The library registers its own transformers; other
/// components register theirs once at startup.
/// </summary>
/// <example>
/// <code>
/// ModelLoadRegistry.Register("MyTransformer", ctx => MyTransformer.Load(ctx));
/// </code>
/// </example>
public static class ModelLoadRegistry
{
    private static readonly ConcurrentDictionary<string, Func<ModelLoadContext, ICanSaveModel>> _loaders = new(StringComparer.Ordinal);

    static ModelLoadRegistry() => BuiltInModelKinds.RegisterAll();

    /// <summary>Registers <paramref name="loader"/> for <paramref name="kind"/>. Registering the same delegate again is a no-op.</summary>
    /// <exception cref="InvalidOperationException">Another loader is already registered for the kind.</exception>
    public static void Register(string kind, Func<ModelLoadContext, ICanSaveModel> loader)
    {
        ModelFormat.CheckName(kind, nameof(kind));
        ArgumentNullException.ThrowIfNull(loader);
        var existing = _loaders.GetOrAdd(kind, loader);
        if (!existing.Equals(loader))
            throw new InvalidOperationException($"A different loader is already registered for model kind '{kind}'.");
    }

    /// <summary>Whether a loader is registered for <paramref name="kind"/>.</summary>
    public static bool IsRegistered(string kind) => _loaders.ContainsKey(kind);

    /// <summary>The registered kinds.</summary>
    public static IReadOnlyCollection<string> Kinds => _loaders.Keys.ToArray();

    internal static ICanSaveModel Load(ModelLoadContext ctx)
    {
        if (!_loaders.TryGetValue(ctx.Kind, out var loader))
            throw new InvalidDataException($"{ctx.Where}: unknown model kind '{ctx.Kind}'. Register its loader with ModelLoadRegistry.Register before loading.");
        return loader(ctx) ?? throw new InvalidDataException($"{ctx.Where}: the loader of '{ctx.Kind}' returned null.");
    }
}
