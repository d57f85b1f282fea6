using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Vae.MLNet.Data;

namespace Vae.MLNet;

/// <summary>Saving and loading models (see docs/model-format.md), and creating prediction engines: <see cref="MLContext.Model"/>.</summary>
public sealed partial class ModelOperationsCatalog : CatalogBase
{
    internal ModelOperationsCatalog(MLContext context) : base(context)
    {
    }

    /// <summary>
    /// Saves <paramref name="model"/> and the schema of the data it takes to <paramref name="filePath"/>. The file is
    /// written next to the target under a temporary name and then renamed, so a failed save leaves any existing file intact.
    /// </summary>
    public void Save(ITransformer model, DataViewSchema? inputSchema, string filePath)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        string full = Path.GetFullPath(filePath);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                Save(model, inputSchema, stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Saves <paramref name="model"/> and the schema of the data it takes to <paramref name="stream"/> (left open).</summary>
    public void Save(ITransformer model, DataViewSchema? inputSchema, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        bool isChain = IsChain(model);
        var transformers = isChain ? ((IEnumerable<ITransformer>)model).ToArray() : [model];
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        var writer = new ModelZipWriter(zip);
        var chain = new JsonArray();
        for (int i = 0; i < transformers.Length; i++)
        {
            string folder = $"{ModelFormat.TransformersFolder}{i:D3}/";
            string kind = ModelSaveContext.SaveComponent(writer, folder, transformers[i]);
            chain.Add(new JsonObject { ["kind"] = kind, ["path"] = folder });
        }
        var manifest = new JsonObject
        {
            ["format"] = ModelFormat.FormatName,
            ["formatVersion"] = ModelFormat.FormatVersion,
            ["createdBy"] = $"Vae.MLNet {typeof(ModelOperationsCatalog).Assembly.GetName().Version}",
            ["inputSchema"] = inputSchema == null ? null : SchemaJson.Write(inputSchema),
            ["isChain"] = isChain,
            ["chain"] = chain,
            ["entries"] = writer.Entries,
        };
        writer.Add(ModelFormat.ManifestEntry, ModelJson.ToBytes(manifest), compress: true);
    }

    private static bool IsChain(ITransformer model) =>
        model.GetType().IsGenericType && model.GetType().GetGenericTypeDefinition() == typeof(TransformerChain<>);

    /// <summary>Loads a model saved by <see cref="Save(ITransformer, DataViewSchema, string)"/>.</summary>
    /// <param name="filePath">The model file.</param>
    /// <param name="inputSchema">The schema saved with the model (empty when none was saved).</param>
    /// <exception cref="InvalidDataException">The file is not a model, is corrupt or truncated, has another format version, or holds an unregistered kind.</exception>
    public ITransformer Load(string filePath, out DataViewSchema inputSchema)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        using var stream = File.OpenRead(filePath);
        return Load(stream, filePath, ModelReadLimits.Default, out inputSchema);
    }

    /// <summary>Loads a model saved by <see cref="Save(ITransformer, DataViewSchema, Stream)"/>.</summary>
    /// <exception cref="InvalidDataException">The data is not a model, is corrupt or truncated, has another format version, or holds an unregistered kind.</exception>
    public ITransformer Load(Stream stream, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Load(stream, "model stream", ModelReadLimits.Default, out inputSchema);
    }

    internal static ITransformer Load(Stream stream, string source, ModelReadLimits limits, out DataViewSchema inputSchema)
    {
        if (!stream.CanSeek)
            stream = Buffer(stream, source, limits.MaxTotalBytes);
        using var reader = new ModelZipReader(stream, source, limits);
        var transformers = new List<ITransformer>();
        try
        {
            var manifest = reader.Manifest;
            string where = $"{source}: {ModelFormat.ManifestEntry}";
            inputSchema = manifest["inputSchema"] is JsonNode schema ? SchemaJson.Read(schema, where) : DataViewSchema.Create([]);
            if (manifest["chain"] is not JsonArray chain)
                throw new InvalidDataException($"{where}: missing the 'chain' array.");
            for (int i = 0; i < chain.Count; i++)
            {
                var entry = chain[i] as JsonObject ?? throw new InvalidDataException($"{where}: chain entry {i} is not an object.");
                string path = ModelJson.GetString(entry, "path", where);
                if (!Regex.IsMatch(path, @"^transformers/[0-9]{3,6}/$"))
                    throw new InvalidDataException($"{where}: chain entry {i} has an invalid path '{path}'.");
                var component = ModelLoadContext.LoadComponent(reader, path, expectedKind: ModelJson.GetString(entry, "kind", where));
                if (component is not ITransformer transformer)
                {
                    (component as IDisposable)?.Dispose();
                    throw new InvalidDataException($"{where}: chain entry {i} ({component.GetType().Name}) is not a transformer.");
                }
                transformers.Add(transformer);
            }
            bool isChain = manifest["isChain"] is JsonValue v && v.TryGetValue(out bool b) && b;
            if (!isChain && transformers.Count != 1)
                throw new InvalidDataException($"{where}: a model that is not a chain must hold exactly one transformer, found {transformers.Count}.");
            return isChain ? new TransformerChain<ITransformer>(transformers.ToArray()) : transformers[0];
        }
        catch (Exception e)
        {
            // Free what was loaded before the failure (a VAE holds native memory) instead of leaving it to finalizers.
            foreach (var loaded in transformers)
                (loaded as IDisposable)?.Dispose();
            if (e is InvalidDataException or FormatException or OutOfMemoryException or OperationCanceledException)
                throw;
            throw new InvalidDataException($"{source}: the model cannot be loaded: {e.Message}", e);
        }
    }

    private static MemoryStream Buffer(Stream stream, string source, long maxBytes)
    {
        // A MemoryStream holds at most Array.MaxLength bytes; beyond that it would throw IOException, not a data error.
        maxBytes = Math.Min(maxBytes, Array.MaxLength);
        var copy = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = stream.Read(chunk)) > 0)
        {
            if (copy.Length + n > maxBytes)
                throw new InvalidDataException($"{source}: the model exceeds the limit of {maxBytes} bytes.");
            copy.Write(chunk, 0, n);
        }
        copy.Position = 0;
        return copy;
    }

    /// <summary>
    /// A prediction engine mapping one <typeparamref name="TSrc"/> to a <typeparamref name="TDst"/> through
    /// <paramref name="transformer"/>. Members of <typeparamref name="TDst"/> without a column are left alone when
    /// <paramref name="ignoreMissingColumns"/>, otherwise they are an error.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A column the model needs is missing from <typeparamref name="TSrc"/> or has the wrong type.</exception>
    public PredictionEngine<TSrc, TDst> CreatePredictionEngine<TSrc, TDst>(ITransformer transformer, bool ignoreMissingColumns = true,
        SchemaDefinition? inputSchemaDefinition = null, SchemaDefinition? outputSchemaDefinition = null)
        where TSrc : class
        where TDst : class, new()
    {
        ArgumentNullException.ThrowIfNull(transformer);
        return new PredictionEngine<TSrc, TDst>(transformer,
            inputSchemaDefinition ?? SchemaDefinition.Create(typeof(TSrc), SchemaDefinition.Direction.Read),
            outputSchemaDefinition, ignoreMissingColumns);
    }
}
