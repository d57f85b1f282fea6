using Vae.MLNet;
using Vae.MLNet.Persistence;

// In ML.NET's namespace, as its component packages do, so `using Microsoft.ML;` finds AutoencoderEncode.
namespace Microsoft.ML;

/// <summary>The deterministic autoencoder on <see cref="MLContext.Transforms"/>.</summary>
public static class AutoencoderCatalog
{
    /// <summary>
    /// An autoencoder that encodes <paramref name="inputColumnName"/> (a vector of Single of known size) into a code of
    /// <paramref name="latentDimension"/> values, appending "Latent" and "Reconstruction". Other settings keep the
    /// defaults of <see cref="AutoencoderOptions"/>.
    /// </summary>
    /// <param name="catalog">The MLContext's transforms catalog.</param>
    /// <param name="inputColumnName">The vector column to encode.</param>
    /// <param name="latentDimension">The size of the code.</param>
    public static AutoencoderEstimator AutoencoderEncode(this TransformsCatalog catalog, string inputColumnName = "Features", int latentDimension = 16) =>
        catalog.AutoencoderEncode(new AutoencoderOptions { InputColumnName = inputColumnName, LatentDimension = latentDimension });

    /// <summary>An autoencoder with every setting given by <paramref name="options"/>.</summary>
    /// <param name="catalog">The MLContext's transforms catalog.</param>
    /// <param name="options">The settings; checked here, before any data is read.</param>
    /// <exception cref="ArgumentException">An option is out of its range, or two contradict (the message names them).</exception>
    public static AutoencoderEstimator AutoencoderEncode(this TransformsCatalog catalog, AutoencoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new AutoencoderEstimator(MLNetInternals.Environment(catalog), options);
    }
}
