using Vae.MLNet.Data;
using Vae.MLNet.Inference;
using Vae.MLNet.Networks;
using Vae.MLNet.Torch;
using Vae.MLNet.Training;

namespace Vae.MLNet;

/// <summary>
/// Trains a variational autoencoder (Kingma &amp; Welling 2014) on a vector column by maximizing the ELBO, and
/// returns a <see cref="VaeTransformer"/> that appends the latent mean, latent log-variance and reconstruction.
/// Create it with <c>mlContext.Transforms.VaeEncode(...)</c>.
/// </summary>
public sealed class VaeEstimator : IEstimator<VaeTransformer>
{
    private readonly MLContext _context;
    private readonly VaeOptions _options;

    internal VaeEstimator(MLContext context, VaeOptions options)
    {
        VaeOptionsValidation.Validate(options);
        _context = context;
        _options = options;
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        if (!inputSchema.TryFindColumn(_options.InputColumnName, out var input))
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Could not find input column '{_options.InputColumnName}'.");
        if (input.Kind != SchemaShape.VectorKind.Vector || input.ItemType != NumberDataViewType.Single || input.IsKey)
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"Schema mismatch for input column '{_options.InputColumnName}': expected a vector of Single of known size, got {input.GetTypeString()}.");
        if (_options.ConditionColumnName is { } conditionName)
        {
            if (!inputSchema.TryFindColumn(conditionName, out var condition))
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Could not find condition column '{conditionName}'.");
            bool usable = (condition.IsKey && condition.Kind == SchemaShape.VectorKind.Scalar) ||
                          (condition.Kind == SchemaShape.VectorKind.Vector && condition.ItemType == NumberDataViewType.Single && !condition.IsKey);
            if (!usable)
                throw new ArgumentOutOfRangeException(nameof(inputSchema),
                    $"Schema mismatch for condition column '{conditionName}': expected a key or a vector of Single, got {condition.GetTypeString()}.");
        }
        var slotNames = new SchemaShape([new SchemaShape.Column(AnnotationUtils.Kinds.SlotNames, SchemaShape.VectorKind.Vector, TextDataViewType.Instance, false)]);
        SchemaShape.Column Vector(string name) => new(name, SchemaShape.VectorKind.Vector, NumberDataViewType.Single, false, slotNames);
        var added = new List<SchemaShape.Column> { Vector(_options.MeanColumnName), Vector(_options.LogVarianceColumnName), Vector(_options.ReconstructionColumnName) };
        if (_options.AnomalyScoreColumnName is { } score)
            added.Add(new SchemaShape.Column(score, SchemaShape.VectorKind.Scalar, NumberDataViewType.Single, false));
        return new SchemaShape(inputSchema.Where(c => added.All(a => a.Name != c.Name)).Concat(added));
    }

    /// <summary>What a checkpoint must match to be resumed: the network and every setting that shapes the training path.</summary>
    private string Fingerprint(VaeNetworkSpec spec, int seed) => System.Text.Json.JsonSerializer.Serialize(new
    {
        Spec = spec, seed, _options.BatchSize, _options.LearningRate, _options.Beta, _options.KlWarmupEpochs, _options.FreeBits,
        _options.SamplesPerPoint, _options.ImportanceWeightedTraining, _options.InputCorruption, _options.CorruptionLevel,
        _options.ValidationFraction, _options.EarlyStoppingPatience, _options.GradientClipNorm, _options.ConditionColumnName, _options.TrainingThreads,
    });

    /// <summary>Trains the VAE on <paramref name="input"/>, streaming mini-batches from its cursor each epoch.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing, not a vector of Single of known size, or does not fit ImageShape.</exception>
    /// <exception cref="InvalidOperationException">The data is empty, holds NaN/infinity (or values outside [0, 1] for Bernoulli), or training diverged.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public VaeTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = VaeTransformer.CheckInputColumn(input.Schema, _options.InputColumnName, expectedSize: null);
        int dimension = ((VectorDataViewType)column.Type).Size;
        VaeOptionsValidation.ValidateForInput(_options, column.Name, dimension);
        var condition = _options.ConditionColumnName is { } conditionName ? ConditionColumn.Resolve(input.Schema, conditionName) : null;
        if (input.GetRowCount() == 0)
            throw new InvalidOperationException($"The training data is empty: the VAE needs at least one row in column '{column.Name}'.");

        var device = torch.device(_options.Device).EnsureAvailable();
        int seed = _options.Seed ?? _context.Seed ?? 0;
        var spec = new VaeNetworkSpec
        {
            Architecture = _options.Architecture,
            Likelihood = _options.Likelihood,
            InputDimension = dimension,
            LatentDimension = _options.LatentDimension,
            HiddenDimensions = (int[])_options.EffectiveHiddenDimensions.Clone(),
            ImageShape = _options.ImageShape is null ? null : (int[])_options.ImageShape.Clone(),
            UseBatchNorm = _options.UseBatchNorm,
            LearnObservationVariance = _options.LearnObservationVariance,
            ObservationVariance = _options.ObservationVariance,
            LogVarianceMin = _options.LogVarianceClamp.Min,
            LogVarianceMax = _options.LogVarianceClamp.Max,
            LogVarianceInitialBias = _options.LogVarianceInitialBias,
            ConditionDimension = condition?.Size ?? 0,
        };
        VaeNetworkSpecValidation.Validate(spec);

        var channel = _context.CreateChannel("VaeEncode");
        bool bernoulli = _options.Likelihood == VaeLikelihood.Bernoulli;
        bool validate = _options.ValidationFraction > 0;
        var training = new DataViewBatchSource(input, column, dimension, bernoulli, condition, validate ? RowSubset.Training : RowSubset.All, _options.ValidationFraction, seed);
        var validation = validate ? new DataViewBatchSource(input, column, dimension, bernoulli, condition, RowSubset.Validation, _options.ValidationFraction, seed) : null;

        // A generator of its own makes the fit reproducible even while other threads draw random numbers.
        using var generator = new torch.Generator(seed);
        using var useGenerator = torch.random.use(generator);
        var network = new VaeNetwork(spec);
        try
        {
            if (device.type != DeviceType.CPU) network.to(device);
            channel.Info($"training a {spec.Architecture} VAE {dimension} → {spec.LatentDimension} ({spec.Likelihood}) for {_options.Epochs} epochs, batch {_options.BatchSize}, seed {seed}");
            var checkpoint = _options.CheckpointPath is { } path ? new TrainingCheckpoint(path, Fingerprint(spec, seed)) : null;
            var history = new VaeTrainingLoop(network, _options, device, channel.Info).Run(training, validation, seed, generator, checkpoint);
            network.eval();
            return new VaeTransformer(network, VaeColumnNames.From(_options, condition), VaeInferenceSettings.From(_options), history);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
