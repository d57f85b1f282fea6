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
    private readonly AutoencoderNetwork _network;
    private readonly AutoencoderColumnNames _columns;
    private bool _disposed;

    internal AutoencoderNetwork Network => _network;

    internal AutoencoderTransformer(AutoencoderNetwork network, AutoencoderColumnNames columns, IReadOnlyList<AutoencoderEpochMetrics> history)
    {
        _network = network;
        _columns = columns;
        TrainingHistory = history;
    }

    /// <summary>The metrics of every training epoch.</summary>
    public IReadOnlyList<AutoencoderEpochMetrics> TrainingHistory { get; }

    /// <summary>The size of the input vectors.</summary>
    public int InputDimension => _network.Spec.InputDimension;

    /// <summary>The size of the code.</summary>
    public int LatentDimension => _network.Spec.LatentDimension;

    /// <summary>The reconstruction loss the autoencoder was trained with.</summary>
    public VaeLikelihood Likelihood => _network.Spec.Likelihood;

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

    /// <summary>The input view with the code and reconstruction appended, computed lazily by the cursors that read them.</summary>
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
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new AutoencoderBatchMapper(_network, _columns, inputSchema);
    }

    /// <summary>The code h = f(x) of one input vector.</summary>
    /// <exception cref="ArgumentException">The vector does not have <see cref="InputDimension"/> finite values.</exception>
    public float[] Encode(float[] x) => Run(x, InputDimension, nameof(x), t => _network.Encode(t));

    /// <summary>The reconstruction g(h) of one code (sigmoid of the logits for Bernoulli); any finite point of the code space may be decoded.</summary>
    /// <exception cref="ArgumentException">The vector does not have <see cref="LatentDimension"/> finite values.</exception>
    public float[] Decode(float[] code) => Run(code, LatentDimension, nameof(code), t => _network.ToReconstruction(_network.Decode(t)));

    /// <summary>g(f(x)) of one input vector.</summary>
    public float[] Reconstruct(float[] x) => Decode(Encode(x));

    private float[] Run(float[] values, int size, string name, Func<Tensor, Tensor> map)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Length != size) throw new ArgumentException($"Expected {size} values, got {values.Length}.", name);
        int bad = Array.FindIndex(values, v => !float.IsFinite(v));
        if (bad >= 0) throw new ArgumentException($"Value {bad} is {values[bad]}; the autoencoder needs finite values.", name);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var output = map(TensorCopy.FromSpan(values, 1, size));
        var result = new float[output.numel()];
        TensorCopy.ToSpan(output, result);
        return result;
    }

    /// <summary>Saves the autoencoder (network description, columns, training history and weights) into ML.NET's model zip.</summary>
    /// <remarks>Called by <c>mlContext.Model.Save</c>; load with <c>mlContext.Model.Load</c>, in any process, with no registration.</remarks>
    public void Save(ModelSaveContext ctx)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        AutoencoderModelFile.Save(ctx, new AutoencoderModelFile.SavedAutoencoder(_columns, _network.Spec, TrainingHistory.ToArray()), _network);
    }

    /// <summary>Rebuilds a saved autoencoder from checked settings and the weights read from its file.</summary>
    internal static AutoencoderTransformer FromSaved(AutoencoderModelFile.SavedAutoencoder saved, IReadOnlyList<WeightsFile.Array> arrays, string where)
    {
        long present = arrays.Sum(a => a.Count), needed = saved.Spec.WeightCount();
        if (present < needed)
            throw new InvalidDataException($"{where}: the described network has at least {needed:N0} weights but the file holds {present:N0} values.");
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
        _network.Dispose();
    }
}
