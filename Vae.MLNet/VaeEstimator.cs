using Vae.MLNet.Backend;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using TorchSharp;
using Vae.MLNet.Columns;
using Vae.MLNet.Inference;
using Vae.MLNet.Networks;
using Vae.MLNet.Networks.Likelihoods;
using Vae.MLNet.OptionChecks;
using Vae.MLNet.Persistence;
using Vae.MLNet.Training;

namespace Vae.MLNet;

/// <summary>
/// Trains a variational autoencoder (Kingma &amp; Welling 2014) on a vector column by maximizing the ELBO, and
/// returns a <see cref="VaeTransformer"/> that appends the latent mean, latent log-variance and reconstruction.
/// Create it with <c>mlContext.Transforms.VaeEncode(...)</c>.
/// </summary>
public sealed class VaeEstimator : IEstimator<VaeTransformer>
{
    private readonly IHost _host;
    private readonly VaeOptions _options;

    internal VaeEstimator(IHostEnvironment environment, VaeOptions options)
    {
        VaeOptionsValidation.Validate(options);
        _host = environment.Register(nameof(VaeEstimator));
        _options = options;
        // The MLContext's seed, when it was given one, is the default seed of the VAE.
        _contextSeed = MLNetInternals.Seed(environment);
    }

    private readonly int? _contextSeed;

    /// <summary>Rows held by the pool shuffle of a view that cannot shuffle (10,000 MNIST rows are 31 MB).</summary>
    private const int ShufflePoolRows = 10_000;

    /// <summary>The schema the fitted transformer gives: the input's columns and the VAE's.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input or condition column is missing or of the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return VaeSchemaShape.Output(inputSchema, VaeColumnNames.From(_options, null), _options.ConditionColumnName);
    }

    /// <summary>
    /// What a checkpoint must match to be resumed: the network and every setting that shapes the training path (the
    /// data is matched by its own <see cref="DataFingerprint"/>).
    /// </summary>
    private string Fingerprint(VaeNetworkSpec spec, int seed) => System.Text.Json.JsonSerializer.Serialize(new
    {
        Spec = spec, seed, _options.BatchSize, _options.LearningRate, _options.Beta, _options.KlWarmupEpochs, _options.FreeBits,
        _options.SamplesPerPoint, _options.ImportanceWeightedTraining, _options.InputCorruption, _options.CorruptionLevel,
        _options.ValidationFraction, _options.EarlyStoppingPatience, _options.GradientClipNorm, _options.ConditionColumnName, _options.TrainingThreads,
    });

    /// <summary>Trains the VAE on <paramref name="input"/>, streaming mini-batches from its cursor each epoch.</summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The input column is missing, not a vector of Single of known size, does not fit ImageShape or has no image shape
    /// for the convolutional architecture, its image is too small for the convolutional layers, the condition column
    /// does not fit, or a batch of BatchSize rows of it would not fit in one array.
    /// </exception>
    /// <exception cref="InvalidOperationException">
    /// The data is empty, holds NaN/infinity (or values outside [0, 1] for Bernoulli), leaves a ValidationFraction split
    /// empty or has one training row with UseBatchNorm; training diverged or left non-finite weights or outputs; or the
    /// CheckpointPath holds a checkpoint of other settings or data.
    /// </exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public VaeTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = VaeTransformer.CheckInputColumn(input.Schema, _options.InputColumnName, expectedSize: null);
        int dimension = ((VectorDataViewType)column.Type).Size;
        var imageShape = ImageColumn.Shape(_options, column);
        VaeOptionsValidation.ValidateForInput(_options, column.Name, dimension);
        var condition = _options.ConditionColumnName is { } conditionName ? ConditionColumn.Resolve(input.Schema, conditionName) : null;
        if (input.GetRowCount() == 0)
            throw new InvalidOperationException($"The training data is empty: the VAE needs at least one row in column '{column.Name}'.");

        TorchRuntime.EnsureLoaded();
        var device = VaeOptionsValidation.AvailableDevice(_options.Device);
        int seed = _options.Seed ?? _contextSeed ?? 0;
        var spec = new VaeNetworkSpec
        {
            Architecture = _options.Architecture,
            Likelihood = _options.Likelihood,
            InputDimension = dimension,
            LatentDimension = _options.LatentDimension,
            HiddenDimensions = (int[])_options.EffectiveHiddenDimensions.Clone(),
            ImageShape = imageShape is null ? null : (int[])imageShape.Clone(),
            UseBatchNorm = _options.UseBatchNorm,
            LearnObservationVariance = _options.LearnObservationVariance,
            ObservationVariance = _options.ObservationVariance,
            LogVarianceMin = _options.LogVarianceClamp.Min,
            LogVarianceMax = _options.LogVarianceClamp.Max,
            LogVarianceInitialBias = _options.LogVarianceInitialBias,
            ConditionDimension = condition?.Size ?? 0,
            FlowSteps = _options.FlowSteps,
            FlowHiddenDimension = AmortizationGapOptions.FlowHiddenDimension(_options),
            InferenceIterations = _options.InferenceIterations,
            InferenceHiddenDimension = AmortizationGapOptions.InferenceHiddenDimension(_options),
            MissingValues = _options.MissingValues,
            SlotLikelihoods = _options.SlotLikelihoods is { } slots ? [.. slots] : null,
        };
        VaeNetworkSpecValidation.Validate(spec);

        using var channel = _host.Start("Fit");
        bool bernoulli = _options.Likelihood == VaeLikelihood.Bernoulli;
        bool validate = _options.ValidationFraction > 0;
        // A view that cannot shuffle (a text file, a stream) is read through ML.NET's pool shuffle, so the epochs still
        // see their rows in new orders while the data streams; a cached view is shuffled whole.
        var shuffled = input.CanShuffle ? input : new MLContext(seed).Data.ShuffleRows(input, seed, ShufflePoolRows, shuffleSource: false);
        var observation = ObservationModel.For(spec);
        // Batch norm in training mode turns running_var into NaN on a batch of one row: such a last batch is folded
        // into the one before it. The validation pass runs in evaluation mode and needs no such care.
        var training = new DataViewBatchSource(shuffled, column, dimension, bernoulli, condition, validate ? RowSubset.Training : RowSubset.All, _options.ValidationFraction, seed, unshuffled: input, observation)
        {
            MinimumBatchRows = _options.UseBatchNorm ? 2 : 1,
        };
        var validation = validate ? new DataViewBatchSource(input, column, dimension, bernoulli, condition, RowSubset.Validation, _options.ValidationFraction, seed, observation: observation) : null;
        // Data too small for the options is refused before training when the view knows its row count (a pass over the
        // row ids alone); otherwise the training loop refuses it at the end of the first epoch, in the same words.
        if (input.GetRowCount() is long rowCount)
        {
            long trainingRows = rowCount;
            if (validate)
            {
                var (inTraining, inValidation) = training.CountSplit();
                ValidationSplit.Check(_options.ValidationFraction, inTraining, inValidation);
                trainingRows = inTraining;
            }
            ValidationSplit.CheckBatchNorm(_options.UseBatchNorm, trainingRows, _options.ValidationFraction);
        }

        // A generator of its own makes the fit reproducible even while other threads draw random numbers.
        using var generator = new torch.Generator(unchecked((ulong)seed));
        using var useGenerator = Noise.Use(generator);
        var network = new VaeNetwork(spec, generator, Acceleration.Accelerations.For(_options.UseOwnKernels));
        try
        {
            if (device.type != DeviceType.CPU) network.to(device);
            if (!input.CanShuffle)
                channel.Warning($"the training view cannot shuffle, so each epoch shuffles its rows only within a pool of {ShufflePoolRows:N0} (ML.NET's ShuffleRows); AppendCacheCheckpoint before VaeEncode shuffles them all.");
            channel.Info($"training a {spec.Architecture} VAE {dimension} → {spec.LatentDimension} ({spec.Likelihood}) for {_options.Epochs} epochs, batch {_options.BatchSize}, seed {seed}");
            // The check after training reads one batch from the view as given: the training source may be a pool shuffle,
            // which would fill its pool before handing out a row.
            var probe = new DataViewBatchSource(input, column, dimension, bernoulli, condition, observation: observation);
            var checkpoint = _options.CheckpointPath is { } path ? new TrainingCheckpoint(path, Fingerprint(spec, seed), DataFingerprint.Of(input, column, condition)) : null;
            var history = new VaeTrainingLoop(network, _options, device, channel.Info).Run(training, validation, seed, generator, checkpoint, probe);
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
