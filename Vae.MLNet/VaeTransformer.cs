using Vae.MLNet.Backend;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using Vae.MLNet.Columns;
using Vae.MLNet.Inference;
using Vae.MLNet.Acceleration;
using Vae.MLNet.Mapping;
using Vae.MLNet.Networks;
using Vae.MLNet.Onnx;

namespace Vae.MLNet;

/// <summary>
/// A trained VAE. <see cref="ITransformer.Transform"/> lazily appends the latent mean, latent log-variance and
/// reconstruction columns, encoding rows in batches with one forward pass each; the direct methods encode, decode
/// and sample single vectors. Dispose it to free the network's native memory.
/// </summary>
/// <remarks>
/// Thread rules, as ML.NET's: <see cref="Transform"/>, <see cref="GetRowToRowMapper"/> and the direct methods may be
/// called from any number of threads at once (inference reads the weights and writes nothing shared); each cursor,
/// row and PredictionEngine is for one thread at a time, and parallel cursors from <c>GetRowCursorSet</c> may each
/// run on their own thread. Do not dispose the transformer while another thread uses it.
/// </remarks>
public sealed partial class VaeTransformer : ITransformer, IDisposable
{

    // Null only in a model loaded without a native backend (FromSaved), whose every use throws the library's explanation.
    private readonly VaeNetwork? _network;
    private readonly VaeNetworkSpec _spec;
    private readonly VaeColumnNames _columns;
    private readonly VaeInferenceSettings _inference;
    // Made on the first call of a few rows (PredictionEngine's), and shared by every mapper of this transformer.
    private readonly Lazy<IDenseEncoder?> _encoder;
    // Shared with every view, cursor, mapper and row made from this transformer (and with WithInference's twin, which shares the network).
    private readonly ModelLifetime _lifetime;

    internal VaeTransformer(VaeNetwork network, VaeColumnNames columns, VaeInferenceSettings inference, IReadOnlyList<VaeEpochMetrics> history)
        : this(network, network.Spec, columns, inference, history, new ModelLifetime(typeof(VaeTransformer)))
    {
    }

    private VaeTransformer(VaeNetwork? network, VaeNetworkSpec spec, VaeColumnNames columns, VaeInferenceSettings inference, IReadOnlyList<VaeEpochMetrics> history, ModelLifetime lifetime)
    {
        _lifetime = lifetime;
        _network = network;
        _spec = spec;
        _columns = columns;
        _inference = inference;
        _encoder = new(() => Network.Acceleration.DenseEncoder(Network.DescribeEncoder));
        TrainingHistory = history;
    }

    /// <summary>The metrics of every training epoch.</summary>
    public IReadOnlyList<VaeEpochMetrics> TrainingHistory { get; }

    /// <summary>The size of the input vectors.</summary>
    public int InputDimension => _spec.InputDimension;

    /// <summary>The size of the latent space.</summary>
    public int LatentDimension => _spec.LatentDimension;

    /// <summary>The decoder's distribution.</summary>
    public VaeLikelihood Likelihood => _spec.Likelihood;

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
    public IReadOnlyList<int>? ImageShape => _spec.ImageShape;

    /// <summary>The network architecture.</summary>
    public VaeArchitecture Architecture => _spec.Architecture;

    /// <summary>The network; for a model loaded without a native backend, the library's explanation (InvalidOperationException).</summary>
    internal VaeNetwork Network
    {
        get
        {
            if (_network is null) _lifetime.ThrowIfEnded();
            return _network!;
        }
    }

    /// <summary>The same network with other inference settings (shares the weights: dispose only one of the two).</summary>
    internal VaeTransformer WithInference(VaeInferenceSettings inference) => new(_network, _spec, _columns, inference, TrainingHistory, _lifetime);

    /// <summary>Always true: the VAE maps each row on its own, so PredictionEngine can use it.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The schema <see cref="Transform"/> gives for data of <paramref name="inputSchema"/>: its columns and the VAE's.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input or condition column is missing or of another type or size than when fitted.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return Mapper(inputSchema).OutputSchema;
    }

    /// <summary>
    /// The input view with the VAE's columns appended, computed lazily in batches of rows (one forward pass each) by the
    /// cursors that read them; only the columns a cursor asks for are computed. No added column holds NaN or ±∞ for
    /// finite input: a row whose computed outputs are not all finite (finite input far off the training scale, such as
    /// 1e20 where training saw values near 1, overflows the network) is refused when any of its added columns is read,
    /// with an <see cref="InvalidOperationException"/> naming the input column, the row, the output and the input slot
    /// of largest magnitude; the other rows read as usual. Normalize the input as in training. A Bernoulli
    /// input outside [0, 1] is refused when the anomaly score is read, as <see cref="Evaluate"/> and Fit refuse it (the
    /// latent and reconstruction columns take it).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The input or condition column is missing or of another type or size than when fitted.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // Wrapped so that ML.NET's ONNX converter can walk through the VAE (see Onnx/VaeTransformedView.cs).
        return new VaeTransformedView(input, new MappedDataView(input, Mapper(input.Schema)), new VaeOnnxExport(Network, _columns, _inference));
    }

    /// <summary>A row-to-row mapper (one row per forward pass) for PredictionEngine.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new BatchRowToRowMapper(Mapper(inputSchema));
    }

    private VaeBatchMapper Mapper(DataViewSchema inputSchema)
    {
        _lifetime.ThrowIfEnded();
        return new VaeBatchMapper(Network, _columns, _inference, inputSchema, _lifetime, _encoder);
    }

    /// <summary>
    /// The ELBO, its terms, the KL per latent dimension and the active units on <paramref name="data"/> (which must
    /// hold the input column); with <paramref name="importanceSamples"/> = k &gt; 0 also the importance-weighted bound.
    /// The samples of z come from a generator seeded with <paramref name="seed"/>, so the figures repeat exactly.
    /// <paramref name="importanceSamples"/> is at most 100,000 (each row is decoded once per sample; the memory per
    /// batch stays that of a chunk of samples).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="importanceSamples"/> is negative or above 100,000.</exception>
    /// <exception cref="InvalidOperationException">A value is not finite, or (Bernoulli) outside [0, 1], as Transform refuses it; or a row's ELBO or bound is not finite (finite input far off the training scale).</exception>
    /// <exception cref="ObjectDisposedException">The transformer was disposed.</exception>
    public VaeMetrics Evaluate(IDataView data, int importanceSamples = 0, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        _lifetime.ThrowIfEnded();
        using var generator = new torch.Generator(unchecked((ulong)seed));
        using var draws = Noise.Use(generator);
        return new VaeEvaluator(Network, _inference).Evaluate(Source(data), importanceSamples, _columns.Input);
    }

    /// <summary>
    /// Measures the amortization gap on <paramref name="data"/>: for each row, optimizes its own (μ, log σ²) against
    /// the fixed decoder with <paramref name="steps"/> Adam steps (learning rate <paramref name="learningRate"/>,
    /// <paramref name="samples"/> samples of z per step), starting from the encoder's output, in batches of rows.
    /// </summary>
    public AmortizationGapResult MeasureAmortizationGap(IDataView data, int steps = 100, double learningRate = 0.01, int samples = 1)
    {
        ArgumentNullException.ThrowIfNull(data);
        _lifetime.ThrowIfEnded();
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be at least 1.");
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "samples must be at least 1.");
        if (!(learningRate > 0) || !double.IsFinite(learningRate)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "learningRate must be positive.");
        return new AmortizationGap(Network, _inference).Measure(Source(data), steps, learningRate, samples);
    }

    private Training.DataViewBatchSource Source(IDataView data) =>
        new(data, CheckInputColumn(data.Schema, _columns.Input, InputDimension), InputDimension, Likelihood == VaeLikelihood.Bernoulli, _columns.Condition,
            observation: Network.Observation);

    private bool _disposed;

    /// <summary>
    /// Frees the network's native memory. Afterwards every method, and every view, cursor, row-to-row mapper and
    /// PredictionEngine made from the transformer, throws <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _lifetime.End();
        _network?.Dispose();
    }

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
