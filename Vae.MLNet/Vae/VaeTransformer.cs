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
public sealed class VaeTransformer : RowToRowTransformerBase, IDisposable
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

    /// <summary>The network architecture.</summary>
    public VaeArchitecture Architecture => _network.Spec.Architecture;

    internal VaeNetwork Network => _network;

    /// <summary>The same network with other inference settings (shares the weights: dispose only one of the two).</summary>
    internal VaeTransformer WithInference(VaeInferenceSettings inference) => new(_network, _columns, inference, TrainingHistory);

    /// <inheritdoc/>
    protected override IRowToRowMapper MakeRowMapper(DataViewSchema inputSchema) => new VaeRowMapper(_network, _columns, _inference, inputSchema);

    /// <summary>The posterior q(z|x) of one input: its mean μ and log-variance log σ² (refined when the model refines).</summary>
    public (float[] Mean, float[] LogVariance) Encode(float[] x)
    {
        CheckVector(x, InputDimension, nameof(x));
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var (mean, logVariance) = _inference.Posterior(_network, torch.tensor(x, [1, x.Length]), x);
        return (mean.data<float>().ToArray(), logVariance.data<float>().ToArray());
    }

    /// <summary>The decoded x for a latent vector: probabilities (Bernoulli) or means (Gaussian).</summary>
    public float[] Decode(float[] z)
    {
        CheckVector(z, LatentDimension, nameof(z));
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return _network.ToReconstruction(_network.Decode(torch.tensor(z, [1, z.Length]))).data<float>().ToArray();
    }

    /// <summary>The reconstruction of x through its latent mean: Decode(Encode(x).Mean).</summary>
    public float[] Reconstruct(float[] x) => Decode(Encode(x).Mean);

    /// <summary>
    /// <paramref name="count"/> new vectors decoded from z ~ N(0, I). With a seed the draws are reproducible and leave
    /// libtorch's global random state alone.
    /// </summary>
    public float[][] Sample(int count, int? seed = null)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be at least 1.");
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var z = seed is int s ? torch.tensor(StandardNormal(new Random(s), count * LatentDimension), [count, LatentDimension]) : torch.randn(count, LatentDimension);
        var samples = _network.ToReconstruction(_network.Decode(z)).data<float>().ToArray();
        return Enumerable.Range(0, count).Select(i => samples.AsSpan(i * InputDimension, InputDimension).ToArray()).ToArray();
    }

    /// <summary>
    /// The ELBO, its terms, the KL per latent dimension and the active units on <paramref name="data"/> (which must
    /// hold the input column); with <paramref name="importanceSamples"/> = k &gt; 0 also the importance-weighted bound.
    /// </summary>
    public VaeMetrics Evaluate(IDataView data, int importanceSamples = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        var column = CheckInputColumn(data.Schema, _columns.Input, InputDimension);
        var source = new Training.DataViewBatchSource(data, column, InputDimension, Likelihood == VaeLikelihood.Bernoulli);
        return new VaeEvaluator(_network, _inference).Evaluate(source, importanceSamples);
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
        var column = CheckInputColumn(data.Schema, _columns.Input, InputDimension);
        var source = new Training.DataViewBatchSource(data, column, InputDimension, Likelihood == VaeLikelihood.Bernoulli);
        return new AmortizationGap(_network, _inference).Measure(source, steps, learningRate, samples);
    }

    /// <summary>Frees the network's native memory.</summary>
    public void Dispose() => _network.Dispose();

    /// <inheritdoc/>
    public override void Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.SetKind(Kind);
        ctx.WriteOptions(new SavedVae(_columns, _network.Spec, _inference, TrainingHistory.ToArray()));
        foreach (var (name, tensor) in _network.state_dict().OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            using var scope = torch.NewDisposeScope();
            var cpu = tensor.detach().cpu();
            int[] shape = cpu.shape.Select(s => checked((int)s)).ToArray();
            if (cpu.dtype == torch.ScalarType.Int64) ctx.WriteArray<long>(name, cpu.data<long>().ToArray(), shape);
            else ctx.WriteArray<float>(name, cpu.to(torch.ScalarType.Float32).data<float>().ToArray(), shape);
        }
    }

    /// <summary>Rebuilds a saved VAE: the network from its saved spec, then every weight checked against its expected shape.</summary>
    internal static VaeTransformer Load(ModelLoadContext ctx)
    {
        var saved = ctx.ReadOptions<SavedVae>();
        if (saved.Columns is null || saved.Spec is null || saved.Inference is null)
            throw new InvalidDataException($"{ctx.Where}: the VAE's options lack its columns, network or inference settings.");
        VaeNetwork network;
        try
        {
            network = new VaeNetwork(saved.Spec);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{ctx.Where}: the saved network description is invalid ({e.Message}).", e);
        }
        try
        {
            using var scope = torch.NewDisposeScope();
            var state = new Dictionary<string, torch.Tensor>();
            foreach (var (name, tensor) in network.state_dict())
            {
                int[] shape = tensor.shape.Select(s => (int)s).ToArray();
                state[name] = tensor.dtype == torch.ScalarType.Int64
                    ? torch.tensor(ctx.ReadArray<long>(name, shape), tensor.shape)
                    : torch.tensor(ctx.ReadArray<float>(name, shape), tensor.shape);
            }
            var unexpected = ctx.ArrayNames.Except(state.Keys).ToArray();
            if (unexpected.Length > 0)
                throw new InvalidDataException($"{ctx.Where}: the VAE has arrays its network does not: {string.Join(", ", unexpected)}.");
            network.load_state_dict(state);
            network.eval();
            return new VaeTransformer(network, saved.Columns, saved.Inference, saved.History ?? []);
        }
        catch
        {
            network.Dispose();
            throw;
        }
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

    private static void CheckVector(float[] values, int size, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Length != size)
            throw new ArgumentException($"Expected a vector of {size} values, got {values.Length}.", name);
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i])) throw new ArgumentException($"Value {values[i]} at index {i} is not finite.", name);
    }

    private static float[] StandardNormal(Random random, int count)
    {
        var result = new float[count];
        for (int i = 0; i < count; i++)
        {
            // Box–Muller: two uniforms on (0, 1] give one standard normal.
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            result[i] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return result;
    }

    /// <summary>What the model file's options hold for a VAE.</summary>
    internal sealed record SavedVae(VaeColumnNames Columns, VaeNetworkSpec Spec, VaeInferenceSettings Inference, VaeEpochMetrics[]? History);
}
