using System.Collections;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Vae.MLNet;

/// <summary>
/// Finds a null inside a collection whose elements are declared non-nullable (such as <c>ColumnJson[]? Columns</c>)
/// in deserialized options. System.Text.Json's <c>RespectNullableAnnotations</c> checks members but cannot check
/// collection elements, so a file holding <c>"Columns": [null]</c> would otherwise reach a loader.
/// </summary>
internal static class NullElementCheck
{
    private const int MaxDepth = 64;

    /// <summary>The path (e.g. <c>Columns[0]</c>) of the first such null in <paramref name="options"/>, or null when there is none.</summary>
    public static string? Find(object? options) => Find(options, "", new NullabilityInfoContext(), 0);

    private static string? Find(object? value, string path, NullabilityInfoContext context, int depth)
    {
        // Options are trees of classes, records, arrays and lists; values of other kinds hold no such collections.
        if (value is null || depth > MaxDepth || value is string || value.GetType().IsValueType)
            return null;
        if (value is IEnumerable items)
            return FindInItems(items, path, elementsNullable: true, context, depth);
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance;
        var type = value.GetType();
        // The members JSON binds: public fields and readable properties, without [JsonIgnore] (computed ones).
        var members = type.GetProperties(flags)
            .Where(p => p.GetIndexParameters().Length == 0 && p.CanRead && !p.PropertyType.IsByRefLike && p.GetCustomAttribute<JsonIgnoreAttribute>() == null)
            .Select(p => (p.Name, Value: p.GetValue(value), Info: context.Create(p)))
            .Concat(type.GetFields(flags).Where(f => f.GetCustomAttribute<JsonIgnoreAttribute>() == null)
                .Select(f => (f.Name, Value: f.GetValue(value), Info: context.Create(f))));
        foreach (var (name, member, info) in members)
        {
            string memberPath = path.Length == 0 ? name : $"{path}.{name}";
            var element = info.ElementType ?? info.GenericTypeArguments.FirstOrDefault();
            string? found = member is IEnumerable list and not string
                ? FindInItems(list, memberPath, element?.ReadState != NullabilityState.NotNull, context, depth)
                : Find(member, memberPath, context, depth + 1);
            if (found != null)
                return found;
        }
        return null;
    }

    private static string? FindInItems(IEnumerable items, string path, bool elementsNullable, NullabilityInfoContext context, int depth)
    {
        int i = 0;
        foreach (var item in items)
        {
            if (item is null && !elementsNullable)
                return $"{path}[{i}]";
            if (Find(item, $"{path}[{i}]", context, depth + 1) is { } found)
                return found;
            i++;
        }
        return null;
    }
}
