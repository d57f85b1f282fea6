using Vae.MLNet.Data;

namespace Vae.MLNet.Trainers;

/// <summary>Checks of the feature and weight columns trainers read and prediction transformers score.</summary>
internal static class FeatureColumns
{
    public const string Expectation = "a known-size vector of Single, or a Single";

    /// <summary>The length of the dense feature vectors a column of <paramref name="type"/> holds, or 0 when it cannot hold features.</summary>
    public static int Size(DataViewType type) => type switch
    {
        VectorDataViewType v when v.IsKnownSize && v.ItemType.Equals(NumberDataViewType.Single) => v.Size,
        _ when type.Equals(NumberDataViewType.Single) => 1,
        _ => 0,
    };

    /// <summary>The feature column <paramref name="name"/>, checked to hold features (of <paramref name="expectedSize"/> values, when positive).</summary>
    public static DataViewSchema.Column Find(DataViewSchema schema, string name, int expectedSize = 0)
    {
        var column = SchemaErrors.Find(schema, name, "feature");
        int size = Size(column.Type);
        if (size == 0 || (expectedSize > 0 && size != expectedSize))
            throw SchemaErrors.Mismatch(name, expectedSize > 0 ? $"{Expectation} with {expectedSize} values (the model's feature count)" : Expectation, column.Type, "feature");
        return column;
    }

    /// <summary>Checks the shape of the feature column <paramref name="name"/>.</summary>
    public static void Check(SchemaShape shape, string name)
    {
        var c = SchemaErrors.Find(shape, name, "feature");
        if (c.IsKey || !c.ItemType.Equals(NumberDataViewType.Single) || c.Kind == SchemaShape.VectorKind.VariableVector)
            throw SchemaErrors.Mismatch(name, Expectation, c.GetTypeString(), "feature");
    }

    /// <summary>The example-weight column <paramref name="name"/>, checked to be a Single.</summary>
    public static DataViewSchema.Column FindWeight(DataViewSchema schema, string name)
    {
        var column = SchemaErrors.Find(schema, name, "weight");
        if (!column.Type.Equals(NumberDataViewType.Single))
            throw SchemaErrors.Mismatch(name, "Single", column.Type, "weight");
        return column;
    }

    /// <summary>Checks the shape of the example-weight column <paramref name="name"/>.</summary>
    public static void CheckWeight(SchemaShape shape, string name)
    {
        var c = SchemaErrors.Find(shape, name, "weight");
        if (c.IsKey || !c.ItemType.Equals(NumberDataViewType.Single) || c.Kind != SchemaShape.VectorKind.Scalar)
            throw SchemaErrors.Mismatch(name, "Single", c.GetTypeString(), "weight");
    }
}
