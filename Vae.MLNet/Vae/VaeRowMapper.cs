using System.Buffers;
using Vae.MLNet.Data;
using Vae.MLNet.Inference;
using Vae.MLNet.Networks;
using Vae.MLNet.Torch;

namespace Vae.MLNet;

/// <summary>
/// Encodes rows in batches: one forward pass per batch under no_grad (plus the refinement steps when configured);
/// the decoder runs only for the reconstruction and anomaly-score columns, and only when they are wanted. Safe for
/// concurrent cursors: every call works on its own rented buffers and tensors.
/// </summary>
internal sealed class VaeRowMapper : BatchedRowMapper
{
    internal const int RowsPerBatch = 256;
    private const int MeanOutput = 0, LogVarianceOutput = 1, ReconstructionOutput = 2, AnomalyScoreOutput = 3;

    private readonly VaeNetwork _network;
    private readonly VaeColumnNames _columns;
    private readonly VaeInferenceSettings _inference;
    private readonly DataViewSchema.Column _input;
    private readonly DataViewSchema.Column? _condition;

    public VaeRowMapper(VaeNetwork network, VaeColumnNames columns, VaeInferenceSettings inference, DataViewSchema inputSchema) : base(inputSchema, RowsPerBatch)
    {
        _network = network;
        _columns = columns;
        _inference = inference;
        _input = VaeTransformer.CheckInputColumn(inputSchema, columns.Input, network.Spec.InputDimension);
        _condition = columns.Condition?.Find(inputSchema);
    }

    protected override IEnumerable<DataViewSchema.Column> GetInputColumns() => _condition is { } c ? [_input, c] : [_input];

    protected override DataViewSchema.DetachedColumn[] GetOutputColumns()
    {
        int latent = _network.Spec.LatentDimension, input = _network.Spec.InputDimension;
        var reconstructionNames = new DataViewSchema.Annotations.Builder();
        if (_input.HasSlotNames(input))
            reconstructionNames.Add(_input.Annotations, kind => kind == AnnotationUtils.Kinds.SlotNames);
        else
            AddSlotNames(reconstructionNames, input, "Feature");
        var columns = new List<DataViewSchema.DetachedColumn>
        {
            new(_columns.Mean, new VectorDataViewType(NumberDataViewType.Single, latent), LatentSlotNames(latent)),
            new(_columns.LogVariance, new VectorDataViewType(NumberDataViewType.Single, latent), LatentSlotNames(latent)),
            new(_columns.Reconstruction, new VectorDataViewType(NumberDataViewType.Single, input), reconstructionNames.ToAnnotations()),
        };
        if (_columns.AnomalyScore is { } score) columns.Add(new(score, NumberDataViewType.Single));
        return columns.ToArray();
    }

    protected override void MapBatch(Data.RowBatch inputs, Data.RowBatch outputs)
    {
        int rows = inputs.Count, dimension = _network.Spec.InputDimension, latent = _network.Spec.LatentDimension;
        float[]? conditions = _condition is null ? null : ArrayPool<float>.Shared.Rent(rows * _columns.Condition!.Size);
        try
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            // The rows are copied once, straight into the input tensor's memory.
            var x = torch.empty(rows, dimension);
            var features = x.AsSpan<float>();
            inputs.CopyToDense(_input.Index, features, dimension);
            CheckFinite(features, dimension);
            var observed = new Observation(x, ConditionTensor(inputs, conditions));
            bool needsPosterior = _inference.RefinementSteps > 0 || outputs.IsColumnActive(LogVarianceOutput) || WantsScore(outputs);
            var (mean, logVariance) = needsPosterior ? _inference.Posterior(_network, observed, features) : (_network.EncodeMean(x, observed.Condition), null);
            Write(outputs, MeanOutput, mean, latent);
            if (logVariance is not null) Write(outputs, LogVarianceOutput, logVariance, latent);
            if (outputs.IsColumnActive(ReconstructionOutput))
                Write(outputs, ReconstructionOutput, _network.ToReconstruction(_network.Decode(mean, observed.Condition)), dimension);
            if (WantsScore(outputs))
                _inference.AnomalyScore(_network, observed, features, mean, logVariance!).AsSpan<float>().CopyTo(outputs.GetColumn<float>(AnomalyScoreOutput));
        }
        finally
        {
            if (conditions is not null) ArrayPool<float>.Shared.Return(conditions);
        }
    }

    private bool WantsScore(Data.RowBatch outputs) => _columns.AnomalyScore is not null && outputs.IsColumnActive(AnomalyScoreOutput);

    private static void Write(Data.RowBatch outputs, int column, torch.Tensor values, int width)
    {
        if (!outputs.IsColumnActive(column)) return;
        using var contiguous = values.contiguous();
        outputs.SetFromDense<float>(column, contiguous.AsSpan<float>(), width);
    }

    private torch.Tensor? ConditionTensor(Data.RowBatch inputs, float[]? buffer)
    {
        if (_condition is null) return null;
        int size = _columns.Condition!.Size;
        var span = buffer.AsSpan(0, inputs.Count * size);
        _columns.Condition.CopyFromBatch(inputs, _condition.Value.Index, span);
        return torch.from_span<float>(span, [inputs.Count, size]);
    }

    private void CheckFinite(ReadOnlySpan<float> values, int width)
    {
        if (InputRange.AllWithin(values, float.MinValue, float.MaxValue)) return;
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                throw new InvalidOperationException(
                    $"Column '{_input.Name}' holds {values[i]} in slot {i % width} of a row; the VAE needs finite values (ReplaceMissingValues can fill NaN).");
        }
    }

    private static DataViewSchema.Annotations LatentSlotNames(int size)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        AddSlotNames(builder, size, "Latent");
        return builder.ToAnnotations();
    }

    private static void AddSlotNames(DataViewSchema.Annotations.Builder builder, int size, string prefix)
    {
        var names = Enumerable.Range(0, size).Select(i => (prefix + i).AsMemory()).ToArray();
        builder.AddSlotNames(size, (ref VBuffer<ReadOnlyMemory<char>> value) => value = new VBuffer<ReadOnlyMemory<char>>(size, (ReadOnlyMemory<char>[])names.Clone()));
    }
}
