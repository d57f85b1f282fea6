using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using TorchSharp;
using Vae.MLNet.Autoencoder;
using Vae.MLNet.Backend;
using Vae.MLNet.Columns;
using Vae.MLNet.Persistence;
using Vae.MLNet.Training;

namespace Vae.MLNet;

/// <summary>
/// Trains a deterministic autoencoder (undercomplete, sparse, contractive or denoising, per <see cref="AutoencoderOptions"/>)
/// on a vector column and returns an <see cref="AutoencoderTransformer"/> that appends the code and the reconstruction.
/// Create it with <c>mlContext.Transforms.AutoencoderEncode(...)</c>.
/// </summary>
public sealed class AutoencoderEstimator : IEstimator<AutoencoderTransformer>
{
    private readonly IHost _host;
    private readonly AutoencoderOptions _options;
    private readonly int? _contextSeed;

    internal AutoencoderEstimator(IHostEnvironment environment, AutoencoderOptions options)
    {
        AutoencoderOptionsValidation.Validate(options);
        _host = environment.Register(nameof(AutoencoderEstimator));
        _options = options;
        _contextSeed = MLNetInternals.Seed(environment);
    }

    /// <summary>The schema the fitted transformer gives: the input's columns, then the code and the reconstruction (replacing any of the same names).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not a vector of Single.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        VectorColumnShape.CheckInput(inputSchema, _options.InputColumnName);
        return VectorColumnShape.Append(inputSchema, [VectorColumnShape.Output(_options.LatentColumnName), VectorColumnShape.Output(_options.ReconstructionColumnName)]);
    }

    /// <summary>
    /// What a checkpoint must match to be resumed: the network and every setting that shapes the training path (the
    /// data is matched by its own <see cref="DataFingerprint"/>).
    /// </summary>
    private string Fingerprint(AutoencoderNetworkSpec spec, int seed) => System.Text.Json.JsonSerializer.Serialize(new
    {
        Spec = spec, seed, _options.BatchSize, _options.LearningRate, _options.Sparsity, _options.SparsityWeight, _options.SparsityTarget,
        _options.ContractiveWeight, _options.Corruption, _options.CorruptionLevel, _options.ValidationFraction, _options.EarlyStoppingPatience,
        _options.GradientClipNorm, _options.TrainingThreads,
    });

    /// <summary>Trains the autoencoder on <paramref name="input"/>, streaming mini-batches from its cursor each epoch.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not a vector of Single of known size, or a batch of BatchSize rows of it would not fit in one array.</exception>
    /// <exception cref="InvalidOperationException">
    /// The data is empty, holds NaN/infinity (or values outside [0, 1] for BinaryCrossEntropy), or leaves a
    /// ValidationFraction split empty; training diverged or left non-finite weights or outputs; or the CheckpointPath
    /// holds a checkpoint of other settings or data.
    /// </exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public AutoencoderTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = VaeTransformer.CheckInputColumn(input.Schema, _options.InputColumnName, expectedSize: null);
        int dimension = ((VectorDataViewType)column.Type).Size;
        BatchSizeLimit.CheckFits(_options.BatchSize, dimension, column.Name);
        FitSources.RefuseEmpty(input, column.Name, "the autoencoder");
        var spec = new AutoencoderNetworkSpec
        {
            Likelihood = ReconstructionLosses.ToLikelihood(_options.ReconstructionLoss),
            InputDimension = dimension,
            LatentDimension = _options.LatentDimension,
            HiddenDimensions = (int[])_options.HiddenDimensions.Clone(),
            LatentActivation = _options.LatentActivation,
            LibtorchOnly = !_options.UseOwnKernels,
        };
        spec.Validate();
        TorchRuntime.EnsureLoaded();
        int seed = _options.EffectiveSeed(_contextSeed);
        using var channel = _host.Start("Fit");
        var sources = FitSources.Create(input, column, dimension, unitInterval: spec.Likelihood == VaeLikelihood.Bernoulli, _options, seed,
            useBatchNorm: false, channel, "AutoencoderEncode");
        using var generator = new torch.Generator(unchecked((ulong)seed));
        var network = new AutoencoderNetwork(spec, generator);
        try
        {
            channel.Info($"training an autoencoder {dimension} → {spec.LatentDimension} ({_options.ReconstructionLoss}) for {_options.Epochs} epochs, batch {_options.BatchSize}, seed {seed}");
            var checkpoint = _options.CheckpointPath is { } path ? new TrainingCheckpoint(path, Fingerprint(spec, seed), DataFingerprint.Of(input, column, condition: null)) : null;
            var history = new AutoencoderTrainingLoop(network, _options, channel.Info).Run(sources.Training, sources.Validation, seed, generator, checkpoint, sources.Probe);
            return new AutoencoderTransformer(network, AutoencoderColumnNames.From(_options), history);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
