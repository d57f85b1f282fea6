namespace Vae.MLNet;

/// <summary>
/// Base of every catalog. <see cref="Context"/> gives extension methods (such as a third-party
/// <c>mlContext.Transforms.MyTransform(...)</c>) the context's log channel and random seeds.
/// </summary>
public abstract class CatalogBase
{
    /// <summary>Attaches the catalog to <paramref name="context"/>.</summary>
    protected CatalogBase(MLContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Context = context;
    }

    /// <summary>The context the catalog belongs to.</summary>
    public MLContext Context { get; }
}
