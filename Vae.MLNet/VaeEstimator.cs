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
        FitSources.RefuseEmpty(input, column.Name, "the VAE");

        TorchRuntime.EnsureLoaded();
        var device = VaeOptionsValidation.AvailableDevice(_options.Device);
        int seed = _options.EffectiveSeed(_contextSeed);
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
            LibtorchOnly = !_options.UseOwnKernels,
        };
        VaeNetworkSpecValidation.Validate(spec);

        using var channel = _host.Start("Fit");
        var sources = FitSources.Create(input, column, dimension, unitInterval: _options.Likelihood == VaeLikelihood.Bernoulli, _options, seed,
            _options.UseBatchNorm, channel, "VaeEncode", condition, ObservationModel.For(spec));

        // A generator of its own makes the fit reproducible even while other threads draw random numbers.
        using var generator = new torch.Generator(unchecked((ulong)seed));
        using var useGenerator = Noise.Use(generator);
        var network = new VaeNetwork(spec, generator);
        try
        {
            if (device.type != DeviceType.CPU) network.to(device);
            channel.Info($"training a {spec.Architecture} VAE {dimension} → {spec.LatentDimension} ({spec.Likelihood}) for {_options.Epochs} epochs, batch {_options.BatchSize}, seed {seed}");
            var checkpoint = _options.CheckpointPath is { } path ? new TrainingCheckpoint(path, Fingerprint(spec, seed), DataFingerprint.Of(input, column, condition)) : null;
            var history = new VaeTrainingLoop(network, _options, device, channel.Info).Run(sources.Training, sources.Validation, seed, generator, checkpoint, sources.Probe);
            return new VaeTransformer(network, VaeColumnNames.From(_options, condition), VaeInferenceSettings.From(_options), history);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
