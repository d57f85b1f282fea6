using Vae.MLNet.Data;

namespace Vae.MLNet;

/// <summary>
/// The entry point of the library, as in ML.NET: catalogs of data operations, transforms, model operations and
/// training tasks; a <see cref="Log"/> event; and the source of randomness for components.
/// </summary>
public sealed class MLContext
{
    private readonly Random _random;
    private readonly object _randomLock = new();

    /// <summary>Creates a context; a <paramref name="seed"/> makes every random choice (splits, shuffles, initialization) repeatable.</summary>
    public MLContext(int? seed = null)
    {
        Seed = seed;
        _random = seed.HasValue ? new Random(seed.Value) : new Random();
        Data = new DataOperationsCatalog(this);
        Transforms = new TransformsCatalog(this);
        Model = new ModelOperationsCatalog(this);
        MulticlassClassification = new MulticlassClassificationCatalog(this);
        BinaryClassification = new BinaryClassificationCatalog(this);
        Regression = new RegressionCatalog(this);
    }

    /// <summary>The seed given at construction, or null.</summary>
    public int? Seed { get; }

    /// <summary>Loading, saving, splitting, shuffling, caching and filtering data.</summary>
    public DataOperationsCatalog Data { get; }

    /// <summary>Data transforms: column operations, normalization, conversions, missing values.</summary>
    public TransformsCatalog Transforms { get; }

    /// <summary>Saving and loading models, and prediction engines.</summary>
    public ModelOperationsCatalog Model { get; }

    /// <summary>Multiclass classification trainers.</summary>
    public MulticlassClassificationCatalog MulticlassClassification { get; }

    /// <summary>Binary classification trainers.</summary>
    public BinaryClassificationCatalog BinaryClassification { get; }

    /// <summary>Regression trainers.</summary>
    public RegressionCatalog Regression { get; }

    /// <summary>Messages from components (progress, warnings). Handlers run on the thread that writes the message.</summary>
    public event EventHandler<LoggingEventArgs>? Log;

    /// <summary>A channel through which a component named <paramref name="source"/> writes to <see cref="Log"/>.</summary>
    public LoggingChannel CreateChannel(string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        return new LoggingChannel(this, source);
    }

    /// <summary>
    /// A new random generator seeded from the context's own generator: repeatable for a seeded context when components
    /// ask in the same order. Thread-safe.
    /// </summary>
    public Random CreateRandom() => new(NextSeed());

    /// <summary>The next seed drawn from the context's generator. Thread-safe.</summary>
    internal int NextSeed()
    {
        lock (_randomLock)
            return _random.Next();
    }

    internal void Write(ChannelMessageKind kind, string source, string message) =>
        Log?.Invoke(this, new LoggingEventArgs(message, kind, source));
}
