using Vae.MLNet.Data;

namespace Vae.MLNet;

/// <summary>Loading and reshaping data: <see cref="MLContext.Data"/>.</summary>
public sealed partial class DataOperationsCatalog : CatalogBase
{
    internal DataOperationsCatalog(MLContext context) : base(context)
    {
    }

    /// <summary>
    /// A lazy view over <paramref name="data"/>: one column per public field or property of <typeparamref name="TRow"/>
    /// (see <see cref="SchemaDefinition"/>). Nothing is enumerated until a cursor moves; lists can be shuffled.
    /// </summary>
    public IDataView LoadFromEnumerable<TRow>(IEnumerable<TRow> data, SchemaDefinition? schemaDefinition = null)
        where TRow : class
    {
        ArgumentNullException.ThrowIfNull(data);
        return new EnumerableDataView<TRow>(data, schemaDefinition ?? SchemaDefinition.Create(typeof(TRow), SchemaDefinition.Direction.Read));
    }

    /// <summary>
    /// The rows of <paramref name="data"/> as objects, read lazily. Each member of <typeparamref name="TRow"/> is filled
    /// from the column of the same name (or <see cref="ColumnNameAttribute"/>).
    /// </summary>
    /// <param name="data">The data.</param>
    /// <param name="reuseRowObject">Whether to return the same object for every row (faster, but each row overwrites it).</param>
    /// <param name="ignoreMissingColumns">Whether members without a column are left alone instead of failing.</param>
    /// <param name="schemaDefinition">An explicit member-to-column mapping.</param>
    /// <exception cref="ArgumentOutOfRangeException">A member has no column and <paramref name="ignoreMissingColumns"/> is false.</exception>
    /// <exception cref="InvalidOperationException">A column's type does not fit its member.</exception>
    public IEnumerable<TRow> CreateEnumerable<TRow>(IDataView data, bool reuseRowObject, bool ignoreMissingColumns = false,
        SchemaDefinition? schemaDefinition = null)
        where TRow : class, new()
    {
        ArgumentNullException.ThrowIfNull(data);
        return ObjectEnumerable.Create<TRow>(data, reuseRowObject, ignoreMissingColumns, schemaDefinition);
    }
}
