using Vae.MLNet.Data;
using Vae.MLNet.Inference;
using Vae.MLNet.Networks;
using Vae.MLNet.Torch;

namespace Vae.MLNet;

/// <summary>
/// A trained VAE. <see cref="ITransformer.Transform"/> lazily appends the latent mean, latent log-variance and
/// reconstruction columns, encoding rows in batches with one forward pass each; the direct methods encode, decode
/// and sample single vectors. Dispose it to free the network's native memory.
/// </summary>
public sealed partial class VaeTransformer : RowToRowTransformerBase, IDisposable
{
    internal const string Kind = "VaeTransformer";

    private readonly VaeNetwork _network;
    private readonly VaeColumnNames _columns;
    private readonly VaeInferenceSettings _inference;

    internal VaeTransformer(VaeNetwork network, VaeColumnNames columns, VaeInferenceSettings inference, IReadOnlyList<VaeEpochMetrics> history)
    {
        _network = network;
        _columns = columns;
        _inference = inference;
        TrainingHistory = history;
    }

    /// <summary>The metrics of every training epoch.</summary>
    public IReadOnlyList<VaeEpochMetrics> TrainingHistory { get; }

    /// <summary>The size of the input vectors.</summary>
    public int InputDimension => _network.Spec.InputDimension;

    /// <summary>The size of the latent space.</summary>
    public int LatentDimension => _network.Spec.LatentDimension;

    /// <summary>The decoder's distribution.</summary>
    public VaeLikelihood Likelihood => _network.Spec.Likelihood;

    /// <summary>The vector column the VAE encodes.</summary>
    public string InputColumnName => _columns.Input;

    /// <summary>The output column of latent means.</summary>
    public string MeanColumnName => _columns.Mean;

    /// <summary>The output column of latent log-variances.</summary>
    public string LogVarianceColumnName => _columns.LogVariance;

    /// <summary>The output column of reconstructions.</summary>
    public string ReconstructionColumnName => _columns.Reconstruction;

    /// <summary>The output column of anomaly scores, or null when the model writes none.</summary>
    public string? AnomalyScoreColumnName => _columns.AnomalyScore;

    /// <summary>The condition column of a conditional VAE, or null.</summary>
    public string? ConditionColumnName => _columns.Condition?.Name;

    /// <summary>The image shape {C, H, W} of a convolutional VAE, or null.</summary>
    public IReadOnlyList<int>? ImageShape => _network.Spec.ImageShape;

    /// <summary>The network architecture.</summary>
    public VaeArchitecture Architecture => _network.Spec.Architecture;

    internal VaeNetwork Network => _network;

    /// <summary>The same network with other inference settings (shares the weights: dispose only one of the two).</summary>
    internal VaeTransformer WithInference(VaeInferenceSettings inference) => new(_network, _columns, inference, TrainingHistory);

    /// <inheritdoc/>
    protected override IRowToRowMapper MakeRowMapper(DataViewSchema inputSchema) => new VaeRowMapper(_network, _columns, _inference, inputSchema);

    /// <summary>
    /// The ELBO, its terms, the KL per latent dimension and the active units on <paramref name="data"/> (which must
    /// hold the input column); with <paramref name="importanceSamples"/> = k &gt; 0 also the importance-weighted bound.
    /// The samples of z come from a generator seeded with <paramref name="seed"/>, so the figures repeat exactly.
    /// </summary>
    public VaeMetrics Evaluate(IDataView data, int importanceSamples = 0, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var generator = new torch.Generator(seed);
        using var draws = torch.random.use(generator);
        return new VaeEvaluator(_network, _inference).Evaluate(Source(data), importanceSamples);
    }

    /// <summary>
    /// Measures the amortization gap on <paramref name="data"/>: for each row, optimizes its own (μ, log σ²) against
    /// the fixed decoder with <paramref name="steps"/> Adam steps (learning rate <paramref name="learningRate"/>,
    /// <paramref name="samples"/> samples of z per step), starting from the encoder's output, in batches of rows.
    /// </summary>
    public AmortizationGapResult MeasureAmortizationGap(IDataView data, int steps = 100, double learningRate = 0.01, int samples = 1)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be at least 1.");
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "samples must be at least 1.");
        if (!(learningRate > 0) || !double.IsFinite(learningRate)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "learningRate must be positive.");
        return new AmortizationGap(_network, _inference).Measure(Source(data), steps, learningRate, samples);
    }

    private Training.DataViewBatchSource Source(IDataView data) =>
        new(data, CheckInputColumn(data.Schema, _columns.Input, InputDimension), InputDimension, Likelihood == VaeLikelihood.Bernoulli, _columns.Condition);

    /// <summary>Frees the network's native memory.</summary>
    public void Dispose() => _network.Dispose();

    /// <summary>The input column, checked to be a vector of Single (of <paramref name="expectedSize"/>, when given).</summary>
    internal static DataViewSchema.Column CheckInputColumn(DataViewSchema schema, string name, int? expectedSize)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Could not find input column '{name}'.");
        string expected = expectedSize is int n ? $"a vector of Single of size {n}" : "a vector of Single of known size";
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType item } vector || item != NumberDataViewType.Single || vector.Size == 0
            || (expectedSize is int size && vector.Size != size))
            throw new ArgumentOutOfRangeException(nameof(schema), $"Schema mismatch for input column '{name}': expected {expected}, got {column.Type}.");
        return column;
    }
}
