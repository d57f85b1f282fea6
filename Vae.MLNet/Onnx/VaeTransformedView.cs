using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Model.OnnxConverter;

namespace Vae.MLNet.Onnx;

/// <summary>
/// What <see cref="VaeTransformer.Transform"/> returns: the VAE's lazily computed view, seen by ML.NET's ONNX converter
/// as one of its own transforms. <c>ConvertToOnnx</c> transforms the data through the chain and walks the result back
/// through <see cref="IDataTransform.Source"/>, asking each view, as <see cref="ITransformCanSaveOnnx"/> (internal to
/// Microsoft.ML.Data, reached through the publicized reference), to write its nodes; a view that is not one ends the
/// walk, and everything before it drops out of the model. Reading rows is the inner view's alone.
/// </summary>
internal sealed class VaeTransformedView : ITransformCanSaveOnnx
{
    private readonly IDataView _rows;
    private readonly VaeOnnxExport _export;

    /// <param name="source">The view the VAE reads.</param>
    /// <param name="rows">The VAE's view of <paramref name="source"/> that computes the rows.</param>
    /// <param name="export">The VAE's ONNX export.</param>
    public VaeTransformedView(IDataView source, IDataView rows, VaeOnnxExport export)
    {
        Source = source;
        _rows = rows;
        _export = export;
    }

    /// <summary>The view the VAE reads (where the converter's walk goes on).</summary>
    public IDataView Source { get; }

    public bool CanShuffle => _rows.CanShuffle;

    public DataViewSchema Schema => _rows.Schema;

    public long? GetRowCount() => _rows.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => _rows.GetRowCursor(columnsNeeded, rand);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        _rows.GetRowCursorSet(columnsNeeded, n, rand);

    /// <summary>
    /// True, or an exception naming the option that cannot be exported: the converter takes false to mean "end the
    /// walk here", which would drop the VAE and everything before it with only a logged warning.
    /// </summary>
    public bool CanSaveOnnx(OnnxContext ctx)
    {
        _export.CheckExportable();
        return true;
    }

    public void SaveAsOnnx(OnnxContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        _export.Write(ctx, Schema);
    }

    /// <summary>
    /// Not supported: <see cref="IDataTransform"/> asks for it, but ML.NET saves the VAE as a transformer
    /// (<c>mlContext.Model.Save</c> calls <see cref="VaeTransformer.Save"/>), never as a view.
    /// </summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public void Save(ModelSaveContext ctx) =>
        throw new NotSupportedException("A VAE's transformed view is not saved on its own: save the model with mlContext.Model.Save(model, inputSchema, path).");
}
