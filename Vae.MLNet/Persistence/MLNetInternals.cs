using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Vae.MLNet.Persistence;

/// <summary>
/// The two doors besides the model zip that ML.NET keeps internal and a component needs: the environment behind a
/// catalog (for ML.NET's logging channel, as ML.NET's own estimators get it) and the seed an MLContext was made with.
/// Kept here, beside persistence, so every use of ML.NET internals sits in this folder (pinned to Microsoft.ML 5.0.x;
/// <c>MLNetInternalsTests</c> fails loudly if one moves).
/// </summary>
internal static class MLNetInternals
{
    /// <summary>The host environment (the MLContext) a catalog belongs to.</summary>
    public static IHostEnvironment Environment(TransformsCatalog catalog) => CatalogUtils.GetEnvironment(catalog);

    /// <summary>The seed the MLContext was created with, or null.</summary>
    public static int? Seed(IHostEnvironment environment) => (environment as IHostEnvironmentInternal)?.Seed;
}
