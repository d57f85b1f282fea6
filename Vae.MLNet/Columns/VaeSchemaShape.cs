using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Columns;

/// <summary>The schema propagation of the VAE, for the estimator (before fitting) and the fitted transformer.</summary>
internal static class VaeSchemaShape
{
    /// <summary>
    /// The input shape with the VAE's columns added (replacing any of the same names).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The input or condition column is missing or of the wrong type.</exception>
    public static SchemaShape Output(SchemaShape inputSchema, VaeColumnNames columns, string? conditionColumnName)
    {
        VectorColumnShape.CheckInput(inputSchema, columns.Input);
        string? conditionName = conditionColumnName;
        if (conditionName is not null)
        {
            if (!inputSchema.TryFindColumn(conditionName, out var condition))
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Could not find condition column '{conditionName}'.");
            bool usable = (condition.IsKey && condition.Kind == SchemaShape.Column.VectorKind.Scalar) ||
                          (condition.Kind == SchemaShape.Column.VectorKind.Vector && condition.ItemType == NumberDataViewType.Single && !condition.IsKey);
            if (!usable)
                throw new ArgumentOutOfRangeException(nameof(inputSchema),
                    $"Schema mismatch for condition column '{conditionName}': expected a key or a vector of Single, got {condition.GetTypeString()}.");
        }
        var added = new List<SchemaShape.Column>
        {
            VectorColumnShape.Output(columns.Mean), VectorColumnShape.Output(columns.LogVariance), VectorColumnShape.Output(columns.Reconstruction),
        };
        if (columns.AnomalyScore is { } score)
            added.Add(new SchemaShape.Column(score, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false));
        return VectorColumnShape.Append(inputSchema, added);
    }
}
