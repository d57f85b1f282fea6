using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Autoencoder;
using Vae.MLNet.Backend;
using Vae.MLNet.Mapping;
using Vae.MLNet.Persistence;
using static TorchSharp.torch;

namespace Vae.MLNet;

/// <summary>
/// A trained autoencoder. <see cref="Transform"/> lazily appends the code (<see cref="LatentColumnName"/>) and the
/// reconstruction, in batches of rows with one forward pass each; <see cref="Encode"/>, <see cref="Decode"/> and
/// <see cref="Reconstruct"/> work on single vectors. Saved into ML.NET's model zip and loaded with
/// <c>mlContext.Model.Load</c>. Dispose it to free the network's native memory.
/// </summary>
/// <remarks>Thread rules as <see cref="VaeTransformer"/>'s: any number of threads may transform at once; each cursor and row is for one thread.</remarks>
public sealed class AutoencoderTransformer : ITransformer, IDisposable
{
    // Null only in a model loaded without a native backend (FromSaved), whose every use throws the library's explanation.
    private readonly AutoencoderNetwork? _network;
    private readonly AutoencoderNetworkSpec _spec;
    private readonly AutoencoderColumnNames _columns;
    private readonly ModelLifetime _lifetime;
    private bool _disposed;

    /// <summary>The network; for a model loaded without a native backend, the library's explanation (InvalidOperationException).</summary>
    internal AutoencoderNetwork Network
    {
        get
        {
            if (_network is null) _lifetime.ThrowIfEnded();
            return _network!;
        }
    }

    internal AutoencoderTransformer(AutoencoderNetwork network, AutoencoderColumnNames columns, IReadOnlyList<AutoencoderEpochMetrics> history)
        : this(network, network.Spec, columns, history, new ModelLifetime(typeof(AutoencoderTransformer)))
    {
    }

    private AutoencoderTransformer(AutoencoderNetwork? network, AutoencoderNetworkSpec spec, AutoencoderColumnNames columns, IReadOnlyList<AutoencoderEpochMetrics> history, ModelLifetime lifetime)
    {
        _network = network;
        _spec = spec;
        _lifetime = lifetime;
        _columns = columns;
        TrainingHistory = history;
    }

    /// <summary>The metrics of every training epoch.</summary>
    public IReadOnlyList<AutoencoderEpochMetrics> TrainingHistory { get; }

    /// <summary>The size of the input vectors.</summary>
    public int InputDimension => _spec.InputDimension;

    /// <summary>The size of the code.</summary>
    public int LatentDimension => _spec.LatentDimension;

    /// <summary>The reconstruction loss the autoencoder was trained with.</summary>
    public ReconstructionLoss ReconstructionLoss => ReconstructionLosses.FromLikelihood(_spec.Likelihood);

    /// <summary>The reconstruction loss under the VAE's name (Gaussian: squared error; Bernoulli: binary cross-entropy).</summary>
    [Obsolete("Use ReconstructionLoss (SquaredError for Gaussian, BinaryCrossEntropy for Bernoulli).")]
    public VaeLikelihood Likelihood => _spec.Likelihood;

    /// <summary>The vector column the autoencoder encodes.</summary>
    public string InputColumnName => _columns.Input;

    /// <summary>The output column of codes.</summary>
    public string LatentColumnName => _columns.Latent;

    /// <summary>The output column of reconstructions.</summary>
    public string ReconstructionColumnName => _columns.Reconstruction;

    /// <summary>Always true: each row is mapped on its own, so PredictionEngine can use it.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The schema <see cref="Transform"/> gives for data of <paramref name="inputSchema"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or of another type or size than when fitted.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return Mapper(inputSchema).OutputSchema;
    }

    /// <summary>
    /// The input view with the code and reconstruction appended, computed lazily by the cursors that read them. No
    /// added column holds NaN or ±∞ for finite input: a row whose computed outputs are not all finite (finite input far
    /// off the training scale overflows the network) is refused when any of its added columns is read, with an
    /// <see cref="InvalidOperationException"/> naming the input column, the row, the output and the input slot of
    /// largest magnitude; the other rows read as usual. Normalize the input as in training.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or of another type or size than when fitted.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // Wrapped so that ConvertToOnnx refuses instead of exporting the outputs as the graph's inputs.
        return new Onnx.NotExportableView(input, new MappedDataView(input, Mapper(input.Schema)),
            "AutoencoderEncode has no ONNX export (ConvertToOnnx would otherwise take its Latent and Reconstruction columns for the graph's inputs): " +
            "export the pipeline before it, or use VaeEncode, whose networks export.");
    }

    /// <summary>A row-to-row mapper for PredictionEngine.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new BatchRowToRowMapper(Mapper(inputSchema));
    }

    private AutoencoderBatchMapper Mapper(DataViewSchema inputSchema)
    {
        _lifetime.ThrowIfEnded();
        return new AutoencoderBatchMapper(Network, _columns, inputSchema, _lifetime);
    }

    /// <summary>The code h = f(x) of one input vector.</summary>
    /// <exception cref="ArgumentException">The vector does not have <see cref="InputDimension"/> finite values, or is so far off
    /// the training scale that the code is not finite or cannot be squared in float32 (as Transform refuses such a row).</exception>
    public float[] Encode(float[] x) => Run(x, InputDimension, nameof(x), t => Network.Encode(t));

    /// <summary>The reconstruction g(h) of one code (sigmoid of the logits for Bernoulli); any finite point of the code space may be decoded.</summary>
    /// <exception cref="ArgumentException">The vector does not have <see cref="LatentDimension"/> finite values.</exception>
    public float[] Decode(float[] code) => Run(code, LatentDimension, nameof(code), t => Network.ToReconstruction(Network.Decode(t)));

    /// <summary>g(f(x)) of one input vector.</summary>
    public float[] Reconstruct(float[] x) => Decode(Encode(x));

    private float[] Run(float[] values, int size, string name, Func<Tensor, Tensor> map)
    {
        _lifetime.ThrowIfEnded();
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Length != size) throw new ArgumentException($"Expected {size} values, got {values.Length}.", name);
        int bad = Array.FindIndex(values, v => !float.IsFinite(v));
        if (bad >= 0) throw new ArgumentException($"Value {bad} is {values[bad]}; the autoencoder needs finite values.", name);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var output = map(TensorCopy.FromSpan(values, 1, size));
        var result = new float[output.numel()];
        TensorCopy.ToSpan(output, result);
        // Transform's rule (NonFiniteOutputs): no output that is not finite or cannot be squared in float32.
        if (!Mapping.NonFiniteOutputs.Squarable(result))
        {
            int slot = Mapping.NonFiniteOutputs.LargestMagnitude(values);
            throw new ArgumentException($"The output holds {result[Mapping.NonFiniteOutputs.LargestMagnitude(result)]}, which must be finite and small enough to square " +
                $"in float32: {name} holds {values[slot]} at index {slot}, its largest value in magnitude, far outside what the model was trained on. " +
                "Normalize the input as in training.", name);
        }
        return result;
    }

    /// <summary>Saves the autoencoder (network description, columns, training history and weights) into ML.NET's model zip.</summary>
    /// <remarks>Called by <c>mlContext.Model.Save</c>; load with <c>mlContext.Model.Load</c>, in any process, with no registration.</remarks>
    public void Save(ModelSaveContext ctx)
    {
        _lifetime.ThrowIfEnded();
        AutoencoderModelFile.Save(ctx, new AutoencoderModelFile.SavedAutoencoder(_columns, _spec, TrainingHistory.ToArray()), Network);
    }

    /// <summary>Rebuilds a saved autoencoder from checked settings and the weights read from its file.</summary>
    internal static AutoencoderTransformer FromSaved(AutoencoderModelFile.SavedAutoencoder saved, IReadOnlyList<WeightsFile.Array> arrays, string where)
    {
        long present = arrays.Sum(a => a.Count), needed = saved.Spec.WeightCount();
        if (present < needed)
            throw new InvalidDataException($"{where}: the described network has at least {needed:N0} weights but the file holds {present:N0} values.");
        // As VaeTransformer.FromSaved: without a native backend, the model's first use explains it (not two TargetInvocationExceptions at Load).
        if (TorchRuntime.Failure() is { } missingBackend)
            return new AutoencoderTransformer(null, saved.Spec, saved.Columns, saved.History ?? [], new ModelLifetime(typeof(AutoencoderTransformer), missingBackend));
        var network = new AutoencoderNetwork(saved.Spec);
        try
        {
            ModelEntries.LoadWeights(network, arrays, where, "autoencoder");
            return new AutoencoderTransformer(network, saved.Columns, saved.History ?? []);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Frees the network's native memory.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _lifetime.End();
        _network?.Dispose();
    }
}
