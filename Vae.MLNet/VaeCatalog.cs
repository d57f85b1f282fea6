using Vae.MLNet;
using Vae.MLNet.Persistence;

// In ML.NET's namespace, as its component packages do, so `using Microsoft.ML;` finds VaeEncode.
namespace Microsoft.ML;

/// <summary>The VAE on <see cref="MLContext.Transforms"/>.</summary>
public static class VaeCatalog
{
    /// <summary>
    /// A VAE that encodes <paramref name="inputColumnName"/> (a vector of Single of known size) into
    /// <paramref name="latentDimension"/> latent dimensions, appending "LatentMean", "LatentLogVariance" and
    /// "Reconstruction". Other settings keep the defaults of <see cref="VaeOptions"/>.
    /// </summary>
    /// <param name="catalog">The MLContext's transforms catalog.</param>
    /// <param name="inputColumnName">The vector column to encode.</param>
    /// <param name="latentDimension">The size of the latent space.</param>
    public static VaeEstimator VaeEncode(this TransformsCatalog catalog, string inputColumnName = "Features", int latentDimension = 16) =>
        catalog.VaeEncode(new VaeOptions { InputColumnName = inputColumnName, LatentDimension = latentDimension });

    /// <summary>A VAE with every setting given by <paramref name="options"/>.</summary>
    /// <param name="catalog">The MLContext's transforms catalog.</param>
    /// <param name="options">The VAE's settings; checked here, before any data is read.</param>
    /// <exception cref="ArgumentException">An option is out of its range (the message names it).</exception>
    public static VaeEstimator VaeEncode(this TransformsCatalog catalog, VaeOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new VaeEstimator(MLNetInternals.Environment(catalog), options);
    }
}
