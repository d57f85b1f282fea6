using System.Reflection;
using Microsoft.ML;

namespace Vae.MLNet.Tests.Support;

/// <summary>
/// ML.NET's SchemaShape of a DataViewSchema. <c>SchemaShape.Create</c> is internal (EstimatorChain calls it before
/// each estimator's GetOutputSchema); tests call it the same way, by reflection, to ask an estimator directly.
/// </summary>
internal static class Shapes
{
    private static readonly MethodInfo Create = typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, [typeof(DataViewSchema)])
        ?? throw new InvalidOperationException("SchemaShape.Create(DataViewSchema) was not found: ML.NET's internals moved.");

    public static SchemaShape Of(DataViewSchema schema) => (SchemaShape)Create.Invoke(null, [schema])!;
}
