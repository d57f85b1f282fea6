using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Acceleration;
using Vae.MLNet.Backend;
using Vae.MLNet.Columns;
using Vae.MLNet.Inference;
using Vae.MLNet.Networks;
using Vae.MLNet.Networks.Flows;
using static TorchSharp.torch;

namespace Vae.MLNet.Mapping;

/// <summary>
/// The VAE's mapping of a batch of rows to its added columns: one forward pass under no_grad (plus the refinement
/// steps when configured), the log σ² head only when log-variances or scores are read, the decoder only for the
/// reconstruction and anomaly-score columns. Holds no per-call state, so concurrent cursors can share it.
/// </summary>
internal sealed class VaeBatchMapper : IBatchMapper
{
    private readonly VaeNetwork _network;
    private readonly VaeColumnNames _columns;
    private readonly VaeInferenceSettings _inference;
    private readonly Lazy<IDenseEncoder?>? _encoder;

    public VaeBatchMapper(VaeNetwork network, VaeColumnNames columns, VaeInferenceSettings inference, DataViewSchema inputSchema, ModelLifetime lifetime, Lazy<IDenseEncoder?>? encoder = null)
    {
        Lifetime = lifetime;
        _network = network;
        _columns = columns;
        _inference = inference;
        _encoder = encoder;
        InputSchema = inputSchema;
        Input = VaeTransformer.CheckInputColumn(inputSchema, columns.Input, network.Spec.InputDimension);
        Condition = columns.Condition?.Find(inputSchema);
        OutputSchema = BuildOutputSchema();
    }

    public DataViewSchema InputSchema { get; }

    public ModelLifetime Lifetime { get; }

    /// <summary>The input columns followed by the added ones (which hide input columns of the same name).</summary>
    public DataViewSchema OutputSchema { get; }

    public DataViewSchema.Column Input { get; }

    public DataViewSchema.Column? Condition { get; }

    public ConditionColumn? ConditionDescription => _columns.Condition;

    public int InputDimension => _network.Spec.InputDimension;

    public int LatentDimension => _network.Spec.LatentDimension;

    /// <summary>How many added columns there are (3, or 4 with anomaly scores).</summary>
    public int AddedCount => _columns.AnomalyScore is null ? 3 : 4;

    /// <summary>The input columns the added ones are computed from.</summary>
    public IEnumerable<DataViewSchema.Column> Dependencies => Condition is { } c ? [Input, c] : [Input];

    /// <summary>Output buffers for the added columns flagged in <paramref name="active"/> (indexed like <see cref="VaeOutputs"/>).</summary>
    public BatchOutputs CreateOutputs(bool[] active, int capacity) => VaeOutputs.Create(active, capacity, LatentDimension, InputDimension);

    /// <summary>Computes the active outputs for the rows of <paramref name="input"/>.</summary>
    public void Map(BatchInput input, BatchOutputs outputs)
    {
        Lifetime.ThrowIfEnded();
        int rows = input.Count, dimension = InputDimension;
        if (rows == 0 || !outputs.Active.Contains(true)) return;
        var features = input.Features.AsSpan(0, rows * dimension);
        bool wantsScore = outputs.Active[VaeOutputs.AnomalyScore];
        CheckFinite(features, input.Positions, scoresLikelihood: wantsScore);
        // A flow's reconstruction decodes f(μ), whose context needs log σ² too.
        bool needsPosterior = outputs.Active[VaeOutputs.LogVariance] || wantsScore || (_network.Flow is not null && outputs.Active[VaeOutputs.Reconstruction]);
        // Iterative inference changes μ and log σ² after the encoder, so like refinement it bypasses the kernel.
        bool refines = _inference.RefinementSteps > 0 || _network.IterativeInference is not null;
        // A few rows (PredictionEngine's one row) or a batch of sparse rows without refinement: the managed kernel
        // computes the posterior, and torch runs only when the decoder is needed.
        // (It writes log σ² only where VaeOutputs has a buffer for it: a flow's reconstruction alone goes through torch.)
        bool kernelMayServe = !refines && (!needsPosterior || outputs.Values[VaeOutputs.LogVariance] is not null);
        var kernel = kernelMayServe && _encoder?.Value is { } encoder && encoder.Serves(features, rows) ? encoder : null;
        if (kernel is not null)
        {
            kernel.Encode(input.Features, input.Conditions, rows, outputs.Values[VaeOutputs.Mean]!, needsPosterior ? outputs.Values[VaeOutputs.LogVariance] : null);
            if (!outputs.Active[VaeOutputs.Reconstruction] && !wantsScore) return;
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = TensorCopy.FromSpan(features, rows, dimension);
        var condition = input.Conditions is null ? null : TensorCopy.FromSpan(input.Conditions.AsSpan(0, rows * input.ConditionSize), rows, input.ConditionSize);
        var observed = new Observation(x, condition);
        Tensor mean;
        Tensor? logVariance = null;
        if (kernel is not null)
        {
            mean = TensorCopy.FromSpan(outputs.Row(VaeOutputs.Mean, 0, rows), rows, LatentDimension);
            if (needsPosterior) logVariance = TensorCopy.FromSpan(outputs.Row(VaeOutputs.LogVariance, 0, rows), rows, LatentDimension);
        }
        else
        {
            (mean, logVariance) = needsPosterior || refines
                ? _inference.Posterior(_network, observed, features)
                : (_network.EncodeMean(x, condition), null);
            Write(outputs, VaeOutputs.Mean, mean);
            if (logVariance is not null) Write(outputs, VaeOutputs.LogVariance, logVariance);
        }
        if (outputs.Active[VaeOutputs.Reconstruction])
            Write(outputs, VaeOutputs.Reconstruction, _network.ToReconstruction(_network.Decode(
                _network.Flow is null ? mean : PosteriorSamples.Center(_network, mean, logVariance!), condition)));
        if (wantsScore)
            Write(outputs, VaeOutputs.AnomalyScore, _inference.AnomalyScore(_network, observed, features, mean, logVariance!));
    }

    private static void Write(BatchOutputs outputs, int output, Tensor values)
    {
        if (!outputs.Active[output]) return;
        TensorCopy.ToSpan(values, outputs.Values[output].AsSpan(0, (int)values.numel()));
    }

    // Finite values; in [0, 1] where the anomaly score computes the Bernoulli likelihood of them (BernoulliRange), as
    // Fit and Evaluate do. The encoder and decoder alone take any finite value.
    private void CheckFinite(ReadOnlySpan<float> values, long[] positions, bool scoresLikelihood)
    {
        bool unitInterval = scoresLikelihood && _network.Spec.Likelihood == VaeLikelihood.Bernoulli;
        if (_network.Observation is null && InputRange.AllWithin(values, unitInterval ? 0 : float.MinValue, unitInterval ? 1 : float.MaxValue)) return;
        int width = InputDimension;
        if (_network.Observation is { } observation)
        {
            // NaN is a missing value under Mask; slot likelihoods bound what their slots may hold.
            for (int row = 0; row < values.Length / width; row++)
                if (observation.FindProblem(values.Slice(row * width, width)) is var (at, problem))
                    throw new InvalidOperationException($"Column '{Input.Name}' holds {values[row * width + at]} in row {positions[row]}, slot {at}; {problem}.");
            return;
        }
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                throw new InvalidOperationException(
                    $"Column '{Input.Name}' holds {values[i]} in row {positions[i / width]}, slot {i % width}; the VAE needs finite values (ReplaceMissingValues can fill NaN).");
            if (unitInterval && values[i] is < 0 or > 1)
                throw new InvalidOperationException(
                    $"Column '{Input.Name}' holds {values[i]} in row {positions[i / width]}, slot {i % width}; {BernoulliRange.Problem(Input, values[i])}.");
        }
    }

    private DataViewSchema BuildOutputSchema()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(InputSchema);
        var latent = new VectorDataViewType(NumberDataViewType.Single, LatentDimension);
        // z0, z1, …: the names Concatenate and permutation feature importance pass on for the latent dimensions.
        builder.AddColumn(_columns.Mean, latent, SlotNameAnnotations.Numbered(LatentDimension, "z"));
        builder.AddColumn(_columns.LogVariance, latent, SlotNameAnnotations.Numbered(LatentDimension, "z"));
        // The reconstruction keeps the input's slot names when it has them, so it reads like the input.
        builder.AddColumn(_columns.Reconstruction, new VectorDataViewType(NumberDataViewType.Single, InputDimension), SlotNameAnnotations.Like(Input, InputDimension));
        if (_columns.AnomalyScore is { } score) builder.AddColumn(score, NumberDataViewType.Single);
        return builder.ToSchema();
    }
}
