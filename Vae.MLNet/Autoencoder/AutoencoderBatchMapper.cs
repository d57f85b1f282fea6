using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Backend;
using Vae.MLNet.Columns;
using Vae.MLNet.Mapping;
using static TorchSharp.torch;

namespace Vae.MLNet.Autoencoder;

/// <summary>
/// The autoencoder's mapping of a batch of rows to its two added columns, the code and the reconstruction: one
/// forward pass under no_grad, the decoder only when the reconstruction is read. Holds no per-call state.
/// </summary>
internal sealed class AutoencoderBatchMapper : IBatchMapper
{
    internal const int Latent = 0, Reconstruction = 1;

    private readonly AutoencoderNetwork _network;
    private readonly AutoencoderColumnNames _columns;

    public AutoencoderBatchMapper(AutoencoderNetwork network, AutoencoderColumnNames columns, DataViewSchema inputSchema, ModelLifetime lifetime)
    {
        Lifetime = lifetime;
        _network = network;
        _columns = columns;
        InputSchema = inputSchema;
        Input = VaeTransformer.CheckInputColumn(inputSchema, columns.Input, network.Spec.InputDimension);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(columns.Latent, new VectorDataViewType(NumberDataViewType.Single, LatentDimension), SlotNameAnnotations.Numbered(LatentDimension, "z"));
        builder.AddColumn(columns.Reconstruction, new VectorDataViewType(NumberDataViewType.Single, InputDimension), SlotNameAnnotations.Like(Input, InputDimension));
        OutputSchema = builder.ToSchema();
    }

    public DataViewSchema InputSchema { get; }

    public ModelLifetime Lifetime { get; }

    public DataViewSchema OutputSchema { get; }

    public DataViewSchema.Column Input { get; }

    public int InputDimension => _network.Spec.InputDimension;

    private int LatentDimension => _network.Spec.LatentDimension;

    public DataViewSchema.Column? Condition => null;

    public ConditionColumn? ConditionDescription => null;

    public int AddedCount => 2;

    public IEnumerable<DataViewSchema.Column> Dependencies => [Input];

    public BatchOutputs CreateOutputs(bool[] active, int capacity) => new(active, [active.Contains(true), false], capacity, [LatentDimension, InputDimension]);

    public void Map(BatchInput input, BatchOutputs outputs)
    {
        Lifetime.ThrowIfEnded();
        int rows = input.Count;
        if (rows == 0 || !outputs.Active.Contains(true)) return;
        var features = input.Features.AsSpan(0, rows * InputDimension);
        CheckFinite(features, input.Positions);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var code = _network.Encode(TensorCopy.FromSpan(features, rows, InputDimension));
        TensorCopy.ToSpan(code, outputs.Values[Latent].AsSpan(0, rows * LatentDimension));
        if (outputs.Active[Reconstruction])
            TensorCopy.ToSpan(_network.ToReconstruction(_network.Decode(code)), outputs.Values[Reconstruction].AsSpan(0, rows * InputDimension));
    }

    private void CheckFinite(ReadOnlySpan<float> values, long[] positions)
    {
        if (InputRange.AllWithin(values, float.MinValue, float.MaxValue)) return;
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new InvalidOperationException(
                    $"Column '{Input.Name}' holds {values[i]} in row {positions[i / InputDimension]}, slot {i % InputDimension}; the autoencoder needs finite values (ReplaceMissingValues can fill NaN).");
    }
}
