namespace Vae.MLNet.Data;

/// <summary>The exceptions ML.NET users expect for schema problems, with the column's name in the message.</summary>
internal static class SchemaErrors
{
    public static ArgumentOutOfRangeException ColumnNotFound(string columnName, string role = "input", string paramName = "inputSchema") =>
        new(paramName, $"Could not find {role} column '{columnName}'.");

    public static ArgumentOutOfRangeException Mismatch(string columnName, string expected, object actual, string role = "input", string paramName = "inputSchema") =>
        new(paramName, $"Schema mismatch for {role} column '{columnName}': expected {expected}, got {actual}.");

    /// <summary>The visible column <paramref name="name"/> of <paramref name="schema"/>, or the not-found exception.</summary>
    public static DataViewSchema.Column Find(DataViewSchema schema, string name, string role = "input") =>
        schema.GetColumnOrNull(name) ?? throw ColumnNotFound(name, role);

    /// <summary>The column <paramref name="name"/> of <paramref name="shape"/>, or the not-found exception.</summary>
    public static SchemaShape.Column Find(SchemaShape shape, string name, string role = "input") =>
        shape.TryFindColumn(name, out var column) ? column : throw ColumnNotFound(name, role);
}
