namespace Vae.MLNet;

/// <summary>The VAE on <see cref="MLContext.Transforms"/>.</summary>
public static class VaeCatalog
{
    /// <summary>
    /// A VAE that encodes <paramref name="inputColumnName"/> (a vector of Single of known size) into
    /// <paramref name="latentDimension"/> latent dimensions, appending "LatentMean", "LatentLogVariance" and
    /// "Reconstruction". Other settings keep the defaults of <see cref="VaeOptions"/>.
    /// </summary>
    public static VaeEstimator VaeEncode(this TransformsCatalog catalog, string inputColumnName = "Features", int latentDimension = 16) =>
        catalog.VaeEncode(new VaeOptions { InputColumnName = inputColumnName, LatentDimension = latentDimension });

    /// <summary>A VAE with every setting given by <paramref name="options"/>.</summary>
    public static VaeEstimator VaeEncode(this TransformsCatalog catalog, VaeOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new VaeEstimator(catalog.Context, options);
    }
}
