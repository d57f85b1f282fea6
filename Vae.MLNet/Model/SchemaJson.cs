using System.Text.Json;
using System.Text.Json.Nodes;
using Vae.MLNet.Data;

namespace Vae.MLNet;

/// <summary>
/// Schemas in model files: a JSON array of columns <c>{"name", "type", "annotations": [{"kind", "type", "value"}]}</c>.
/// Annotations of text, boolean, number and key types (scalars or vectors) are kept; others are dropped.
/// </summary>
internal static class SchemaJson
{
    public static JsonArray Write(DataViewSchema schema)
    {
        var columns = new JsonArray();
        foreach (var c in schema)
        {
            var column = new JsonObject { ["name"] = c.Name, ["type"] = TypeSpec.Format(c.Type) };
            var annotations = new JsonArray();
            foreach (var a in c.Annotations.Schema)
            {
                if (ValueType(a.Type) is not { } raw)
                    continue;
                var value = Generic.Invoke<JsonNode>(new Func<DataViewSchema.Annotations, DataViewSchema.Column, JsonNode>(WriteValue<int>), raw, c.Annotations, a);
                annotations.Add(new JsonObject { ["kind"] = a.Name, ["type"] = TypeSpec.Format(a.Type), ["value"] = value });
            }
            if (annotations.Count > 0)
                column["annotations"] = annotations;
            columns.Add(column);
        }
        return columns;
    }

    /// <exception cref="InvalidDataException">The JSON does not describe a schema.</exception>
    public static DataViewSchema Read(JsonNode? node, string where)
    {
        if (node is not JsonArray columns)
            throw new InvalidDataException($"{where}: the schema must be a JSON array.");
        var builder = new DataViewSchema.Builder();
        foreach (var item in columns)
        {
            if (item is not JsonObject column)
                throw new InvalidDataException($"{where}: every schema column must be a JSON object.");
            string name = ModelJson.GetString(column, "name", where);
            var type = ParseType(ModelJson.GetString(column, "type", where), where);
            var annotations = new DataViewSchema.Annotations.Builder();
            if (column["annotations"] is JsonArray list)
            {
                foreach (var entry in list.OfType<JsonObject>())
                {
                    var aType = ParseType(ModelJson.GetString(entry, "type", where), where);
                    if (ValueType(aType) is not { } raw)
                        throw new InvalidDataException($"{where}: annotation type {aType} is not supported.");
                    Generic.Invoke<bool>(new Func<DataViewSchema.Annotations.Builder, string, DataViewType, JsonNode?, string, bool>(AddValue<int>),
                        raw, annotations, ModelJson.GetString(entry, "kind", where), aType, entry["value"], where);
                }
            }
            builder.AddColumn(name, type, annotations.ToAnnotations());
        }
        return builder.ToSchema();
    }

    private static DataViewType ParseType(string text, string where)
    {
        try
        {
            return TypeSpec.Parse(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new InvalidDataException($"{where}: {e.Message}", e);
        }
    }

    // The item raw type of an annotation whose values can be written as JSON, or null.
    private static Type? ValueType(DataViewType type)
    {
        var item = type is VectorDataViewType v ? v.ItemType : type;
        return item is NumberDataViewType or TextDataViewType or BooleanDataViewType or KeyDataViewType ? item.RawType : null;
    }

    private static JsonNode WriteValue<T>(DataViewSchema.Annotations annotations, DataViewSchema.Column column)
    {
        if (column.Type is VectorDataViewType)
        {
            var buffer = default(VBuffer<T>);
            annotations.GetGetter<VBuffer<T>>(column)(ref buffer);
            return new JsonArray(buffer.DenseValues().Select(ToNode).ToArray());
        }
        T value = default!;
        annotations.GetGetter<T>(column)(ref value);
        return ToNode(value)!;
    }

    private static JsonNode? ToNode<T>(T value) =>
        value is ReadOnlyMemory<char> text ? JsonValue.Create(text.ToString()) : JsonSerializer.SerializeToNode(value, ModelJson.Options);

    private static bool AddValue<T>(DataViewSchema.Annotations.Builder builder, string kind, DataViewType type, JsonNode? node, string where)
    {
        try
        {
            if (type is VectorDataViewType v)
            {
                var items = (node as JsonArray ?? throw new InvalidDataException($"{where}: annotation '{kind}' must be an array.")).Select(FromNode<T>).ToArray();
                if (v.IsKnownSize && items.Length != v.Size)
                    throw new InvalidDataException($"{where}: annotation '{kind}' has {items.Length} values but its type {type} needs {v.Size}.");
                builder.Add(kind, type, new VBuffer<T>(items.Length, items));
            }
            else
            {
                builder.Add(kind, type, FromNode<T>(node));
            }
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{where}: annotation '{kind}' has an invalid value ({e.Message}).", e);
        }
    }

    private static T FromNode<T>(JsonNode? node)
    {
        if (typeof(T) == typeof(ReadOnlyMemory<char>))
            return (T)(object)(node?.GetValue<string>() ?? "").AsMemory();
        return node.Deserialize<T>(ModelJson.Options)!;
    }
}
