using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vae.MLNet;

/// <summary>
/// What a component writes into a model file: its kind (the name its loader is registered under in
/// <see cref="ModelLoadRegistry"/>), a small JSON of options, named numeric arrays, and sub-components.
/// No type names are written; loading goes through the registry only.
/// </summary>
/// <example>
/// <code>
/// public void Save(ModelSaveContext ctx)
/// {
///     ctx.SetKind("MyTransformer");
///     ctx.WriteOptions(new MyOptions { InputColumnName = _input, OutputColumnName = _output });
///     ctx.WriteArray("weights", _weights, _rows, _columns);
/// }
/// </code>
/// </example>
public sealed class ModelSaveContext
{
    private readonly ModelZipWriter _writer;
    private readonly string _folder;
    private readonly MemoryStream _arrays = new();
    private readonly JsonObject _arrayList = [];
    private readonly JsonObject _subModels = [];
    private JsonNode? _options;
    private bool _completed;

    internal ModelSaveContext(ModelZipWriter writer, string folder)
    {
        _writer = writer;
        _folder = folder;
        _arrays.Write(ArrayCodec.Magic);
    }

    /// <summary>The kind set by <see cref="SetKind"/>, or null.</summary>
    public string? Kind { get; private set; }

    /// <summary>Sets the component's kind: a letter, then letters, digits, '.', '_' or '-' (at most 128).</summary>
    public void SetKind(string kind)
    {
        ModelFormat.CheckName(kind, nameof(kind));
        CheckOpen();
        Kind = kind;
    }

    /// <summary>Writes <paramref name="options"/> as JSON (public properties and fields; NaN allowed). Read it back with <see cref="ModelLoadContext.ReadOptions{TOptions}"/>.</summary>
    public void WriteOptions<TOptions>(TOptions options)
    {
        CheckOpen();
        _options = JsonSerializer.SerializeToNode(options, ModelJson.Options);
    }

    /// <summary>Writes a named array of float, double, int, long or byte with <paramref name="shape"/> (empty: a 1-D array).</summary>
    public void WriteArray<T>(string name, T[] data, params int[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        WriteArray(name, new ReadOnlySpan<T>(data), shape is { Length: > 0 } ? shape : [data.Length]);
    }

    /// <summary>Writes a named array of float, double, int, long or byte with <paramref name="shape"/> (empty: a scalar).</summary>
    public void WriteArray<T>(string name, ReadOnlySpan<T> data, ReadOnlySpan<int> shape) where T : unmanaged
    {
        ModelFormat.CheckName(name, nameof(name));
        CheckOpen();
        if (_arrayList.ContainsKey(name))
            throw new ArgumentException($"Array '{name}' was already written by this component.", nameof(name));
        ArrayCodec.Write(_arrays, name, data, shape);
        _arrayList[name] = new JsonObject
        {
            ["dtype"] = ArrayCodec.DType(typeof(T)).Name,
            ["shape"] = new JsonArray(shape.ToArray().Select(d => (JsonNode)d).ToArray()),
        };
    }

    /// <summary>Writes <paramref name="model"/> as a sub-component named <paramref name="name"/>; read it back with <see cref="ModelLoadContext.LoadSubModel{TModel}"/>.</summary>
    public void SaveSubModel(string name, ICanSaveModel model)
    {
        ModelFormat.CheckName(name, nameof(name));
        ArgumentNullException.ThrowIfNull(model);
        CheckOpen();
        if (_subModels.ContainsKey(name))
            throw new ArgumentException($"Sub-model '{name}' was already written by this component.", nameof(name));
        _subModels[name] = SaveComponent(_writer, $"{_folder}{ModelFormat.SubModelsFolder}{name}/", model);
    }

    /// <summary>Saves <paramref name="model"/> into <paramref name="folder"/> and returns its kind.</summary>
    internal static string SaveComponent(ModelZipWriter writer, string folder, ICanSaveModel model)
    {
        var ctx = new ModelSaveContext(writer, folder);
        model.Save(ctx);
        return ctx.Complete(model);
    }

    private string Complete(ICanSaveModel model)
    {
        CheckOpen();
        if (Kind == null)
            throw new InvalidOperationException($"{model.GetType().Name}.Save did not call SetKind; every saved component needs a registered kind.");
        _completed = true;
        var component = new JsonObject
        {
            ["kind"] = Kind,
            ["options"] = _options ?? new JsonObject(),
            ["arrays"] = _arrayList,
            ["subModels"] = _subModels,
        };
        _writer.Add(_folder + ModelFormat.ComponentEntry, ModelJson.ToBytes(component), compress: true);
        if (_arrayList.Count > 0)
            _writer.Add(_folder + ModelFormat.ArraysEntry, _arrays.GetBuffer().AsSpan(0, (int)_arrays.Length), compress: false);
        return Kind;
    }

    private void CheckOpen()
    {
        if (_completed)
            throw new InvalidOperationException("This save context is complete; components must write everything inside Save.");
    }
}
