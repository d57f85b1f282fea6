using System.Text;
using System.Text.Json.Nodes;
using Vae.MLNet.Tests.Model;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>Edits entries of a saved model and rebuilds the zip with a repaired manifest, to reach checks past the checksums.</summary>
internal static class ModelEdits
{
    public const string FirstComponent = "transformers/000/component.json";
    public const string FirstArrays = "transformers/000/arrays.bin";

    /// <summary>The model with the JSON entry at <paramref name="path"/> changed by <paramref name="edit"/>.</summary>
    public static byte[] EditJson(byte[] model, string path, Action<JsonObject> edit, bool repairManifest = true)
    {
        var entries = ModelZipTool.Entries(model);
        var json = JsonNode.Parse(entries[path])!.AsObject();
        edit(json);
        entries[path] = Encoding.UTF8.GetBytes(json.ToJsonString());
        return ModelZipTool.Build(entries, repairManifest && path != "manifest.json");
    }

    /// <summary>The model with the array records at <paramref name="path"/> changed by <paramref name="edit"/>.</summary>
    public static byte[] EditArrays(byte[] model, string path, Action<List<ArrayRecord>> edit)
    {
        var entries = ModelZipTool.Entries(model);
        var records = ArraysFile.Parse(entries[path]);
        edit(records);
        entries[path] = ArraysFile.Write(records);
        return ModelZipTool.Build(entries);
    }

    /// <summary>Sets the node at a '/'-separated path of property names and array indices, e.g. "options/Spec/HiddenDimensions".</summary>
    public static void Set(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split('/');
        JsonNode node = root;
        foreach (string part in parts[..^1])
            node = (node is JsonArray a ? a[int.Parse(part)] : node[part])!;
        if (node is JsonArray array)
            array[int.Parse(parts[^1])] = value;
        else
            node[parts[^1]] = value;
    }
}
