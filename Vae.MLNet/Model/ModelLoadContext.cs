using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vae.MLNet;

/// <summary>
/// What a loader registered in <see cref="ModelLoadRegistry"/> reads back: the options JSON, named arrays and
/// sub-components written through <see cref="ModelSaveContext"/>. Every declared size has been checked against the
/// bytes present before anything is allocated.
/// </summary>
public sealed class ModelLoadContext
{
    private const int MaxDepth = 32;
    private readonly ModelZipReader _reader;
    private readonly string _folder;
    private readonly JsonObject _component;
    private readonly int _depth;
    private byte[]? _arrayBytes;
    private Dictionary<string, ArrayCodec.Entry>? _arrays;

    private ModelLoadContext(ModelZipReader reader, string folder, int depth)
    {
        _reader = reader;
        _folder = folder;
        _depth = depth;
        Where = $"{reader.Source}: {folder}";
        _component = ModelJson.ParseObject(reader.Read(folder + ModelFormat.ComponentEntry, reader.Limits.MaxJsonBytes), Where + ModelFormat.ComponentEntry);
        Kind = ModelJson.GetString(_component, "kind", Where);
    }

    /// <summary>The component's kind.</summary>
    public string Kind { get; }

    /// <summary>The file and folder of the component, for error messages.</summary>
    public string Where { get; }

    /// <summary>The names of the component's arrays.</summary>
    public IReadOnlyCollection<string> ArrayNames => Arrays.Keys;

    /// <summary>Reads the options written by <see cref="ModelSaveContext.WriteOptions{TOptions}"/>.</summary>
    /// <exception cref="InvalidDataException">
    /// The options do not deserialize into <typeparamref name="TOptions"/>, or hold null where a member or collection element is non-nullable.
    /// </exception>
    public TOptions ReadOptions<TOptions>()
    {
        TOptions options;
        try
        {
            options = (_component["options"] ?? new JsonObject()).Deserialize<TOptions>(ModelJson.Options)
                ?? throw new InvalidDataException($"{Where}: the options are null.");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new InvalidDataException($"{Where}: the options of '{Kind}' are invalid ({e.Message}).", e);
        }
        if (NullElementCheck.Find(options) is { } path)
            throw new InvalidDataException($"{Where}: the options of '{Kind}' hold null at {path}, where a value is required.");
        return options;
    }

    /// <summary>Whether the component has an array named <paramref name="name"/>.</summary>
    public bool HasArray(string name) => Arrays.ContainsKey(name);

    /// <summary>Reads array <paramref name="name"/> and its <paramref name="shape"/>.</summary>
    /// <exception cref="InvalidDataException">The array is missing or of another dtype.</exception>
    public T[] ReadArray<T>(string name, out int[] shape) where T : unmanaged
    {
        if (!Arrays.TryGetValue(name, out var entry))
            throw new InvalidDataException($"{Where}: component '{Kind}' has no array '{name}'.");
        shape = (int[])entry.Shape.Clone();
        return ArrayCodec.Read<T>(_arrayBytes!, entry, Where);
    }

    /// <summary>Reads array <paramref name="name"/>, checking its shape equals <paramref name="expectedShape"/> when one is given.</summary>
    /// <exception cref="InvalidDataException">The array is missing, of another dtype, or of another shape.</exception>
    public T[] ReadArray<T>(string name, params int[] expectedShape) where T : unmanaged
    {
        var data = ReadArray<T>(name, out int[] shape);
        if (expectedShape is { Length: > 0 } && !shape.AsSpan().SequenceEqual(expectedShape))
            throw new InvalidDataException($"{Where}: array '{name}' has shape [{string.Join(", ", shape)}], expected [{string.Join(", ", expectedShape)}].");
        return data;
    }

    /// <summary>Loads the sub-component <paramref name="name"/> written by <see cref="ModelSaveContext.SaveSubModel"/>.</summary>
    /// <exception cref="InvalidDataException">It is missing, of an unknown kind, or not a <typeparamref name="TModel"/>.</exception>
    public TModel LoadSubModel<TModel>(string name) where TModel : class, ICanSaveModel
    {
        if (!ModelFormat.IsValidName(name) || _component["subModels"] is not JsonObject subs || !subs.ContainsKey(name))
            throw new InvalidDataException($"{Where}: component '{Kind}' has no sub-model '{name}'.");
        if (_depth >= MaxDepth)
            throw new InvalidDataException($"{Where}: sub-models are nested deeper than {MaxDepth} levels.");
        var model = LoadComponent(_reader, $"{_folder}{ModelFormat.SubModelsFolder}{name}/", _depth + 1);
        return model as TModel
            ?? throw new InvalidDataException($"{Where}: sub-model '{name}' is a {model.GetType().Name}, expected {typeof(TModel).Name}.");
    }

    /// <summary>Loads the component in <paramref name="folder"/> through the registry.</summary>
    internal static ICanSaveModel LoadComponent(ModelZipReader reader, string folder, int depth = 0, string? expectedKind = null)
    {
        var ctx = new ModelLoadContext(reader, folder, depth);
        if (expectedKind != null && ctx.Kind != expectedKind)
            throw new InvalidDataException($"{ctx.Where}: the manifest says kind '{expectedKind}' but the component says '{ctx.Kind}'.");
        return ModelLoadRegistry.Load(ctx);
    }

    private Dictionary<string, ArrayCodec.Entry> Arrays
    {
        get
        {
            if (_arrays == null)
            {
                string path = _folder + ModelFormat.ArraysEntry;
                if (_reader.Contains(path))
                {
                    _arrayBytes = _reader.Read(path);
                    _arrays = ArrayCodec.Index(_arrayBytes, $"{_reader.Source}: {path}");
                }
                else
                {
                    _arrays = [];
                }
            }
            return _arrays;
        }
    }
}
