using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Model.OnnxConverter;

namespace Vae.MLNet.Onnx;

/// <summary>
/// A transformer's view that ML.NET's ONNX converter must not walk past silently. A view that is not an
/// <see cref="ITransformCanSaveOnnx"/> ends the converter's walk and is taken for the data source: the export then
/// succeeds with the transformer's output columns as the graph's <em>inputs</em>, a model no application can score
/// as meant. This view is one, and refuses in <see cref="CanSaveOnnx"/> with the reason (as
/// <see cref="VaeTransformedView"/> refuses options it cannot export). Reading rows is the inner view's alone.
/// </summary>
internal sealed class NotExportableView(IDataView source, IDataView rows, string reason) : ITransformCanSaveOnnx
{
    /// <summary>The view the transformer reads.</summary>
    public IDataView Source { get; } = source;

    public bool CanShuffle => rows.CanShuffle;

    public DataViewSchema Schema => rows.Schema;

    public long? GetRowCount() => rows.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => rows.GetRowCursor(columnsNeeded, rand);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        rows.GetRowCursorSet(columnsNeeded, n, rand);

    /// <exception cref="NotSupportedException">Always, with the reason.</exception>
    public bool CanSaveOnnx(OnnxContext ctx) => throw new NotSupportedException(reason);

    /// <exception cref="NotSupportedException">Always, with the reason.</exception>
    public void SaveAsOnnx(OnnxContext ctx) => throw new NotSupportedException(reason);

    /// <exception cref="NotSupportedException">Always: the transformer is saved with mlContext.Model.Save, never its view.</exception>
    public void Save(ModelSaveContext ctx) =>
        throw new NotSupportedException("A transformed view is not saved on its own: save the model with mlContext.Model.Save(model, inputSchema, path).");
}
