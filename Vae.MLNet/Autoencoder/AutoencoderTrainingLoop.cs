using System.Diagnostics;
using Vae.MLNet.Acceleration;
using Vae.MLNet.Backend;
using Vae.MLNet.Runtime;
using Vae.MLNet.Training;
using static TorchSharp.torch;

namespace Vae.MLNet.Autoencoder;

/// <summary>Trains an <see cref="AutoencoderNetwork"/> with Adam on mini-batches streamed from a source, with cancellation and divergence checks.</summary>
internal sealed class AutoencoderTrainingLoop
{
    private readonly AutoencoderNetwork _network;
    private readonly AutoencoderOptions _options;
    private readonly Action<string> _log;

    public AutoencoderTrainingLoop(AutoencoderNetwork network, AutoencoderOptions options, Action<string> log)
    {
        _network = network;
        _options = options;
        _log = log;
    }

    /// <summary>
    /// Runs every epoch; every random draw (shuffling, corruption) comes from <paramref name="generator"/> and
    /// <paramref name="seed"/>. The trained network's outputs on the first batch of <paramref name="probe"/> (default:
    /// the training rows) must be finite.
    /// </summary>
    public IReadOnlyList<AutoencoderEpochMetrics> Run(IBatchSource source, int seed, Generator generator, IBatchSource? probe = null)
    {
        // The thread counts and malloc thresholds of the Fit, put back when it ends (the acceleration's fit scope).
        using (_network.Acceleration.EnterFit(_options.TrainingThreads))
        {
            using var draws = Noise.Use(generator);
            using var optimizer = optim.Adam(_network.parameters(), lr: _options.LearningRate);
            var step = _network.Acceleration.AdamStep(optimizer, _network.parameters(), _options.LearningRate);
            var objective = new AutoencoderObjective(_network, _options);
            var history = new List<AutoencoderEpochMetrics>();
            _network.train();
            for (int epoch = 1; epoch <= _options.Epochs; epoch++)
            {
                var metrics = TrainEpoch(source, objective, optimizer, step, epoch, seed);
                TrainedModelCheck.ThrowIfNonFinite(_network, $"epoch {epoch}", LikelyCauses);
                history.Add(metrics);
                _log(metrics.ToString());
                _options.Progress?.Report(metrics);
            }
            _network.eval();
            CheckOutputs(probe ?? source);
            return history;
        }
    }

    private const string LikelyCauses =
        "the likely cause is a LearningRate too large for the data (lower it) or an input column with large or unnormalized " +
        "values (normalize it, e.g. NormalizeMeanVariance or NormalizeMinMax).";

    /// <summary>
    /// The trained network's code and decoder output on the first training batch must be finite: a last step can leave
    /// finite weights so large that the outputs overflow, which no loss computed before that step can show.
    /// </summary>
    private void CheckOutputs(IBatchSource source)
    {
        using var noGrad = no_grad();
        foreach (var batch in source.GetBatches(_options.BatchSize, null))
        {
            using var scope = NewDisposeScope();
            var code = _network.Encode(batch.ToObservation().X);
            TrainedModelCheck.ThrowIfNonFinite(code, "the code", LikelyCauses);
            TrainedModelCheck.ThrowIfNonFinite(_network.Decode(code), "the decoder's output", LikelyCauses);
            return;
        }
    }

    private AutoencoderEpochMetrics TrainEpoch(IBatchSource source, AutoencoderObjective objective, optim.Optimizer optimizer, IAdamStep step, int epoch, int seed)
    {
        var clock = Stopwatch.StartNew();
        double loss = 0, reconstruction = 0, sparsity = 0, contractive = 0;
        long rows = 0;
        int batchIndex = 0;
        foreach (var batch in source.GetBatches(_options.BatchSize, unchecked(seed * 31 + epoch)))
        {
            _options.CancellationToken.ThrowIfCancellationRequested();
            batchIndex++;
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var terms = objective.Compute(batch.ToObservation().X);
            if (!double.IsFinite(terms.LossSum))
                throw new InvalidOperationException(
                    $"Training diverged at epoch {epoch}, batch {batchIndex}: the loss is {terms.LossSum / batch.Rows}. " +
                    "Lower LearningRate, normalize the input column, or lower SparsityWeight and ContractiveWeight.");
            terms.Loss.backward();
            step.Step();
            loss += terms.LossSum;
            reconstruction += terms.ReconstructionSum;
            sparsity += terms.SparsitySum;
            contractive += terms.ContractiveSum;
            rows += batch.Rows;
        }
        if (rows == 0) throw new InvalidOperationException($"The training data has no rows: the autoencoder needs at least one row in column '{_options.InputColumnName}'.");
        return new AutoencoderEpochMetrics(epoch, loss / rows, reconstruction / rows, sparsity / rows, contractive / rows, clock.Elapsed.TotalSeconds);
    }
}
