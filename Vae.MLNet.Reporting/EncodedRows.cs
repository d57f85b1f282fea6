using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Columns;

namespace Vae.MLNet.Reporting;

/// <summary>
/// The first rows of the data run through the transformer in one pass (batched, as Transform does): every row's
/// latent mean and label, and the inputs and reconstructions of the first few.
/// </summary>
internal sealed class EncodedRows
{
    /// <summary>The latent mean μ(x) of each row read.</summary>
    public List<float[]> Means { get; } = [];

    /// <summary>The label of each row read, when there is a label column.</summary>
    public List<LabelValue>? Labels { get; private init; }

    /// <summary>The inputs of the first rows.</summary>
    public List<float[]> Inputs { get; } = [];

    /// <summary>The reconstructions of the same rows.</summary>
    public List<float[]> Reconstructions { get; } = [];

    /// <summary>The condition vectors of the same rows (one-hot for a key), for a conditional VAE; otherwise null.</summary>
    public List<float[]>? Conditions { get; private init; }

    /// <summary>Reads up to <paramref name="maxRows"/> rows, keeping inputs and reconstructions of the first <paramref name="keepInputs"/>.</summary>
    public static EncodedRows Read(VaeTransformer transformer, IDataView data, ReportColumns columns, int maxRows, int keepInputs)
    {
        var rows = new EncodedRows { Labels = columns.Label is null ? null : [], Conditions = columns.Condition is null ? null : [] };
        var scored = transformer.Transform(new MLContext(0).Data.TakeRows(data, maxRows));
        var mean = scored.Schema[columns.MeanIndex];
        var reconstruction = scored.Schema[columns.ReconstructionIndex];
        var input = scored.Schema[columns.Input.Index];
        var active = new List<DataViewSchema.Column> { mean, reconstruction, input };
        if (columns.Label is { } labelColumn) active.Add(scored.Schema[labelColumn.Index]);
        if (columns.Condition is { } conditionColumn) active.Add(scored.Schema[conditionColumn.Index]);

        using var cursor = scored.GetRowCursor(active);
        var readMean = VectorReader(cursor, mean);
        var readReconstruction = VectorReader(cursor, reconstruction);
        var readInput = VectorReader(cursor, input);
        var readLabel = columns.Label is { } label ? LabelReader.Create(cursor, scored.Schema[label.Index]) : null;
        var readCondition = columns.Condition is { } condition ? ConditionReader(cursor, scored.Schema[condition.Index]) : null;
        while (cursor.MoveNext())
        {
            rows.Means.Add(readMean());
            rows.Labels?.Add(readLabel!());
            if (rows.Inputs.Count < keepInputs)
            {
                rows.Inputs.Add(readInput());
                rows.Reconstructions.Add(readReconstruction());
                rows.Conditions?.Add(readCondition!());
            }
        }
        return rows;
    }

    private static Func<float[]> ConditionReader(DataViewRow row, DataViewSchema.Column column)
    {
        // The VAE's own reader of its condition column: a key becomes one-hot as in Fit and Transform.
        var condition = ConditionColumn.Resolve(row.Schema, column.Name);
        var read = condition.MakeReader(row, column);
        return () =>
        {
            var values = new float[condition.Size];
            read(values);
            return values;
        };
    }

    private static Func<float[]> VectorReader(DataViewRow row, DataViewSchema.Column column)
    {
        var getter = row.GetGetter<VBuffer<float>>(column);
        int size = ((VectorDataViewType)column.Type).Size;
        VBuffer<float> buffer = default;
        return () =>
        {
            getter(ref buffer);
            var values = new float[size];
            buffer.CopyTo(values);
            return values;
        };
    }
}
