// In ML.NET's namespace, beside VaeEncode, so `using Microsoft.ML;` finds it on mlContext.Model.
namespace Microsoft.ML;

/// <summary>Saving a model file so that a failure midway never leaves a damaged file behind.</summary>
public static class AtomicModelSave
{
    /// <summary>
    /// Saves <paramref name="model"/> to <paramref name="filePath"/> as <c>mlContext.Model.Save(model, schema, filePath)</c>
    /// does, atomically: the zip is written to a temporary file beside it, flushed to disk and renamed over the old file
    /// only once complete. If saving fails (a transformer throws, the process dies, the disk fills), the old file is left
    /// whole and no temporary file remains (except after a crash of the process, when one hidden file may).
    /// </summary>
    /// <remarks>
    /// ML.NET's own <c>Save(model, schema, filePath)</c> opens the file with <c>File.Create</c>, truncating it before the
    /// first entry is written, so a failure midway leaves a damaged model where a good one was (measured in
    /// <c>AtomicModelSaveTests</c>). The rename is atomic on one file system (POSIX rename, NTFS MoveFileEx).
    /// </remarks>
    /// <param name="catalog">The context's model operations (<c>mlContext.Model</c>).</param>
    /// <param name="model">The trained model.</param>
    /// <param name="inputSchema">The schema of the model's input, as for <c>Save</c>; may be null.</param>
    /// <param name="filePath">Where the model file goes; its folder must exist.</param>
    public static void SaveAtomically(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema? inputSchema, string filePath)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        string full = Path.GetFullPath(filePath);
        string folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{filePath}' names no file.", nameof(filePath));
        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                catalog.Save(model, inputSchema, stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
