using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Columns;

/// <summary>
/// The schema propagation both estimators share: the input column must be a vector of Single, and each added output is
/// a vector of Single with slot names (both replace any input column of the same name).
/// </summary>
internal static class VectorColumnShape
{
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or not a vector of Single (ParamName inputSchema, as ML.NET).</exception>
    public static void CheckInput(SchemaShape inputSchema, string name)
    {
        if (!inputSchema.TryFindColumn(name, out var input))
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Could not find input column '{name}'.");
        if (input.Kind != SchemaShape.Column.VectorKind.Vector || input.ItemType != NumberDataViewType.Single || input.IsKey)
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"Schema mismatch for input column '{name}': expected a vector of Single of known size, got {input.GetTypeString()}.");
    }

    /// <summary>An added vector-of-Single column with slot names.</summary>
    public static SchemaShape.Column Output(string name) => new(name, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false, SlotNames);

    /// <summary>The input's columns, less those the added ones replace, then the added ones.</summary>
    public static SchemaShape Append(SchemaShape inputSchema, IReadOnlyList<SchemaShape.Column> added) =>
        new(inputSchema.Where(c => added.All(a => a.Name != c.Name)).Concat(added));

    private static readonly SchemaShape SlotNames =
        new([new SchemaShape.Column(AnnotationUtils.Kinds.SlotNames, SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, false)]);
}
