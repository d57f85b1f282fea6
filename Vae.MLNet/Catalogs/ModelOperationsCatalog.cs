namespace Vae.MLNet;

/// <summary>Saving and loading models, and creating prediction engines: <see cref="MLContext.Model"/>.</summary>
public sealed partial class ModelOperationsCatalog : CatalogBase
{
    internal ModelOperationsCatalog(MLContext context) : base(context)
    {
    }
}
