using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Reporting;

/// <summary>
/// The columns the report reads. The VAE's own columns are found through the public row-mapper contract: its
/// added columns follow the input columns in the order mean, log-variance, reconstruction (then the anomaly score),
/// and the input column is what the mean depends on.
/// </summary>
internal sealed record ReportColumns(DataViewSchema.Column Input, DataViewSchema.Column? Condition, int MeanIndex, int ReconstructionIndex, DataViewSchema.Column? Label)
{
    private const int MeanOffset = 0, ReconstructionOffset = 2;

    /// <summary>Finds the columns in <paramref name="schema"/>; the label only when <paramref name="labelName"/> names one (see <see cref="VaeReportOptions.LabelColumnName"/>).</summary>
    public static ReportColumns Find(VaeTransformer transformer, DataViewSchema schema, string? labelName)
    {
        var mapper = transformer.GetRowToRowMapper(schema);
        var mean = mapper.OutputSchema[schema.Count + MeanOffset];
        var dependencies = mapper.GetDependencies([mean]).ToArray();
        var inputs = dependencies.Where(c => c.Type is VectorDataViewType { ItemType: var item, Size: var size } && item == NumberDataViewType.Single
            && size == transformer.InputDimension).ToArray();
        var input = inputs.Length == 1 ? inputs[0] : throw new NotSupportedException(
            $"Cannot tell the VAE's input column among [{string.Join(", ", dependencies.Select(c => c.Name))}]: the condition has the input's size.");
        var condition = dependencies.Where(c => c.Index != input.Index).Cast<DataViewSchema.Column?>().SingleOrDefault();
        return new(input, condition, schema.Count + MeanOffset, schema.Count + ReconstructionOffset, FindLabel(schema, labelName));
    }

    private static DataViewSchema.Column? FindLabel(DataViewSchema schema, string? name)
    {
        if (name is null) return null;
        var label = schema.GetColumnOrNull(name);
        if (label is null && name != VaeReportOptions.DefaultLabelColumnName)
            throw new ArgumentOutOfRangeException(nameof(VaeReportOptions.LabelColumnName), $"Could not find label column '{name}'.");
        return label;
    }
}
