using Vae.MLNet.Data;

namespace Vae.MLNet.Transforms;

/// <summary>Small helpers for estimators' schema-shape propagation.</summary>
internal static class ShapeHelper
{
    /// <summary><paramref name="input"/> with <paramref name="added"/> appended, replacing columns of the same names.</summary>
    public static SchemaShape With(SchemaShape input, IEnumerable<SchemaShape.Column> added)
    {
        var list = added.ToList();
        var names = list.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return new SchemaShape(input.Where(c => !names.Contains(c.Name)).Concat(list));
    }

    /// <summary>Annotation shape holding the given kinds' shapes.</summary>
    public static SchemaShape Annotations(params SchemaShape.Column[] columns) => new(columns);

    public static SchemaShape.Column SlotNamesShape() =>
        new(AnnotationUtils.Kinds.SlotNames, SchemaShape.VectorKind.Vector, TextDataViewType.Instance, false);

    /// <summary>Whether the shape's item type is float or double and it is not a key.</summary>
    public static bool IsFloating(SchemaShape.Column c) =>
        !c.IsKey && (c.ItemType.Equals(NumberDataViewType.Single) || c.ItemType.Equals(NumberDataViewType.Double));
}
