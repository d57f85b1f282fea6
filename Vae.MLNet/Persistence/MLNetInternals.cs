using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Vae.MLNet.Persistence;

/// <summary>
/// The two doors besides the model zip that ML.NET keeps internal and a component needs: the environment behind a
/// catalog (for ML.NET's logging channel, as ML.NET's own estimators get it) and the seed an MLContext was made with.
/// Kept here, beside persistence, so every use of ML.NET internals sits in this folder (tested on Microsoft.ML 5.0.x and 6.0.x;
/// <c>MLNetInternalsTests</c> fails loudly if one moves).
/// </summary>
internal static class MLNetInternals
{
    /// <summary>The host environment (the MLContext) a catalog belongs to.</summary>
    public static IHostEnvironment Environment(TransformsCatalog catalog) => CatalogUtils.GetEnvironment(catalog);

    /// <summary>The seed the MLContext was created with, or null.</summary>
    public static int? Seed(IHostEnvironment environment) => (environment as IHostEnvironmentInternal)?.Seed;

    /// <summary>
    /// The uncompressed size the model zip's central directory declares for entry <paramref name="name"/> of the
    /// context's folder; null when the context reads no zip or the zip has no such entry.
    /// </summary>
    /// <remarks>
    /// ML.NET inflates an entry whole into a temporary file before a loader sees a byte of it, so a zip bomb would cost
    /// its full size in time and disk first. System.IO.Compression never inflates an entry beyond its declared size, so
    /// checking the declaration first bounds both. Looked up as RepositoryReader.OpenEntryOrNull does (the path, then
    /// with backslashes, as old zips wrote it).
    /// </remarks>
    public static long? DeclaredEntryLength(ModelLoadContext ctx, string name)
    {
        if (ctx.Repository is not RepositoryReader repository) return null;
        string path = string.IsNullOrEmpty(ctx.Directory) ? name : Path.Combine(ctx.Directory, name);
        var entries = repository._entries;
        return entries.TryGetValue(path, out var entry) || entries.TryGetValue(path.Replace('/', '\\'), out entry) ? entry.Length : null;
    }
}
