using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using TorchSharp;
using Vae.MLNet.Autoencoder;
using Vae.MLNet.Backend;
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
    /// <summary>Rows held by the pool shuffle of a view that cannot shuffle.</summary>
    private const int ShufflePoolRows = 10_000;

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
        string name = _options.InputColumnName;
        if (!inputSchema.TryFindColumn(name, out var input))
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Could not find input column '{name}'.");
        if (input.Kind != SchemaShape.Column.VectorKind.Vector || input.ItemType != NumberDataViewType.Single || input.IsKey)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Schema mismatch for input column '{name}': expected a vector of Single of known size, got {input.GetTypeString()}.");
        var slotNames = new SchemaShape([new SchemaShape.Column(AnnotationUtils.Kinds.SlotNames, SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, false)]);
        SchemaShape.Column Vector(string column) => new(column, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false, slotNames);
        var added = new[] { Vector(_options.LatentColumnName), Vector(_options.ReconstructionColumnName) };
        return new SchemaShape(inputSchema.Where(c => added.All(a => a.Name != c.Name)).Concat(added));
    }

    /// <summary>Trains the autoencoder on <paramref name="input"/>, streaming mini-batches from its cursor each epoch.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not a vector of Single of known size.</exception>
    /// <exception cref="InvalidOperationException">The data is empty, holds NaN/infinity (or values outside [0, 1] for Bernoulli), or training diverged or left non-finite weights or outputs.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public AutoencoderTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = VaeTransformer.CheckInputColumn(input.Schema, _options.InputColumnName, expectedSize: null);
        int dimension = ((VectorDataViewType)column.Type).Size;
        BatchSizeLimit.CheckFits(_options.BatchSize, dimension, column.Name);
        if (input.GetRowCount() == 0)
            throw new InvalidOperationException($"The training data is empty: the autoencoder needs at least one row in column '{column.Name}'.");
        var spec = new AutoencoderNetworkSpec
        {
            Likelihood = _options.Likelihood,
            InputDimension = dimension,
            LatentDimension = _options.LatentDimension,
            HiddenDimensions = (int[])_options.HiddenDimensions.Clone(),
            LatentActivation = _options.LatentActivation,
        };
        spec.Validate();
        TorchRuntime.EnsureLoaded();
        int seed = _options.Seed ?? _contextSeed ?? 0;
        using var channel = _host.Start("Fit");
        if (!input.CanShuffle)
            channel.Warning($"the training view cannot shuffle, so each epoch shuffles its rows only within a pool of {ShufflePoolRows:N0} (ML.NET's ShuffleRows); AppendCacheCheckpoint before AutoencoderEncode shuffles them all.");
        var shuffled = input.CanShuffle ? input : new MLContext(seed).Data.ShuffleRows(input, seed, ShufflePoolRows, shuffleSource: false);
        var source = new DataViewBatchSource(shuffled, column, dimension, unitInterval: spec.Likelihood == VaeLikelihood.Bernoulli, unshuffled: input);
        using var generator = new torch.Generator(unchecked((ulong)seed));
        var network = new AutoencoderNetwork(spec, generator, Acceleration.Accelerations.For(_options.UseOwnKernels));
        try
        {
            channel.Info($"training an autoencoder {dimension} → {spec.LatentDimension} ({spec.Likelihood}) for {_options.Epochs} epochs, batch {_options.BatchSize}, seed {seed}");
            var history = new AutoencoderTrainingLoop(network, _options, channel.Info).Run(source, seed, generator,
                probe: new DataViewBatchSource(input, column, dimension, unitInterval: spec.Likelihood == VaeLikelihood.Bernoulli));
            return new AutoencoderTransformer(network, AutoencoderColumnNames.From(_options), history);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
