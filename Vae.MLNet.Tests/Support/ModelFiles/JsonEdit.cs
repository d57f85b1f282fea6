using FsCheck;
using System.Text.Json.Nodes;
using FsCheck.Fluent;

namespace Vae.MLNet.Tests.Support.ModelFiles;

/// <summary>What a <see cref="JsonEdit"/> does to the node it picks.</summary>
internal enum JsonEditKind
{
    Replace,
    Remove,
    Rename,
    WrapInArray,
}

/// <summary>
/// A structural edit of one JSON entry: pick the n-th node (depth first) and replace, remove, rename or wrap it.
/// Values are drawn from edge cases: null, wrong types, zero, negatives, extremes, NaN, hostile names, deep nesting.
/// </summary>
/// <param name="Kind">What to do.</param>
/// <param name="Node">Which node, as a fraction of the node count.</param>
/// <param name="Value">Index into the edge-case values.</param>
internal sealed record JsonEdit(JsonEditKind Kind, double Node, int Value)
{
    private static readonly Func<JsonNode?>[] _values =
    [
        () => null, () => true, () => false, () => 0, () => 1, () => -1, () => 2, () => 3, () => 9, () => 0.5, () => -0.0,
        () => "NaN", () => "Infinity", () => "-Infinity", () => "", () => "x", () => "Features", () => "../../../etc/passwd",
        () => "System.IO.File", () => "LatentMean", () => new JsonArray(), () => new JsonArray(1), () => new JsonArray(-1, 0),
        () => new JsonObject(), () => new JsonObject { ["x"] = 1 }, () => 1e308, () => -1e308, () => "Vector<Single, 3>",
        () => "Key<UInt32, 0>", () => "Vector<Single, -1>",
        // Beyond here, values too large to be a small network's sizes: refused from the weights present (VaeModelFileBugTests).
        () => int.MaxValue, () => int.MinValue, () => long.MaxValue, () => 4294967296L, () => 1e20, () => Deep(200),
    ];

    public static Gen<JsonEdit> Any { get; } =
        from kind in Gen.Elements(Enum.GetValues<JsonEditKind>())
        from node in Gen.Choose(0, 1_000_000).Select(i => i / 1_000_001.0)
        from value in Gen.Choose(0, _values.Length - 1)
        select new JsonEdit(kind, node, value);

    /// <summary>Applies the edit to <paramref name="root"/> and returns the path of the node edited.</summary>
    public string Apply(JsonObject root, Func<string, bool>? editable = null)
    {
        var nodes = Nodes(root, "").Where(n => editable?.Invoke(n.Path) ?? true).ToList();
        if (nodes.Count == 0)
            return "(nothing)";
        var (path, parent, key) = nodes[(int)(Node * nodes.Count)];
        JsonNode? current = parent is JsonArray a ? a[(int)key] : parent[(string)key];
        switch (Kind)
        {
            case JsonEditKind.Replace: Put(parent, key, _values[Value]()); break;
            case JsonEditKind.WrapInArray: Put(parent, key, new JsonArray(current?.DeepClone())); break;
            case JsonEditKind.Remove when parent is JsonArray array: array.RemoveAt((int)key); break;
            case JsonEditKind.Remove: ((JsonObject)parent).Remove((string)key); break;
            case JsonEditKind.Rename when parent is JsonObject o:
                o.Remove((string)key);
                o[(string)key + "_"] = current?.DeepClone();
                break;
            case JsonEditKind.Rename: Put(parent, key, current?.DeepClone()); break;
        }
        return path;
    }

    private static void Put(JsonNode parent, object key, JsonNode? value)
    {
        if (parent is JsonArray a)
            a[(int)key] = value;
        else
            parent[(string)key] = value;
    }

    private static IEnumerable<(string Path, JsonNode Parent, object Key)> Nodes(JsonNode node, string path)
    {
        var children = node switch
        {
            JsonObject o => o.Select(kv => ((object)kv.Key, kv.Value)).ToList(),
            JsonArray a => a.Select((v, i) => ((object)i, v)).ToList(),
            _ => [],
        };
        foreach (var (key, child) in children)
        {
            string childPath = $"{path}/{key}";
            yield return (childPath, node, key);
            if (child != null)
                foreach (var n in Nodes(child, childPath))
                    yield return n;
        }
    }

    private static JsonNode Deep(int depth)
    {
        JsonNode node = new JsonArray();
        for (int i = 0; i < depth; i++)
            node = new JsonArray(node);
        return node;
    }

    public override string ToString() => $"{Kind} node@{Node:F4} value#{Value}";
}
