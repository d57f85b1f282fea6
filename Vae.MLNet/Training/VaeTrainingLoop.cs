using Vae.MLNet.Backend;
using Vae.MLNet.Acceleration;
using System.Diagnostics;
using TorchSharp;
using Vae.MLNet.Networks;
using Vae.MLNet.Runtime;
using static TorchSharp.torch;

namespace Vae.MLNet.Training;

/// <summary>
/// Trains a <see cref="VaeNetwork"/> by maximizing the ELBO with Adam, streaming mini-batches from a source, with
/// KL warm-up, optional validation with early stopping (keeping the best weights), gradient clipping, checkpoints,
/// cancellation and divergence checks.
/// </summary>
internal sealed class VaeTrainingLoop
{
    private readonly VaeNetwork _network;
    private readonly VaeOptions _options;
    private readonly Device _device;
    private readonly Action<string> _log;
    private readonly TrainingObjective _objective;

    public VaeTrainingLoop(VaeNetwork network, VaeOptions options, Device device, Action<string> log)
    {
        _network = network;
        _options = options;
        _device = device;
        _log = log;
        _objective = new TrainingObjective(network, options);
    }

    /// <summary>
    /// Runs the epochs not yet done (resuming from the checkpoint when there is one) and leaves the network with the
    /// final weights, or the best validated ones. Every draw comes from <paramref name="generator"/>. The trained
    /// network's outputs on the first batch of <paramref name="probe"/> (default: the training rows) must be finite.
    /// </summary>
    public IReadOnlyList<VaeEpochMetrics> Run(IBatchSource training, IBatchSource? validation, int seed, Generator generator, TrainingCheckpoint? checkpoint,
        IBatchSource? probe = null)
    {
        // The thread counts and malloc thresholds of the Fit, put back when it ends (the acceleration's fit scope).
        using var process = _network.Acceleration.EnterFit(_options.TrainingThreads);
        using var draws = Noise.Use(generator);
        var history = RunEpochs(training, validation, seed, generator, checkpoint);
        CheckOutputs(probe ?? training);
        return history;
    }

    private IReadOnlyList<VaeEpochMetrics> RunEpochs(IBatchSource training, IBatchSource? validation, int seed, Generator generator, TrainingCheckpoint? checkpoint)
    {
        using var optimizer = optim.Adam(_network.parameters(), lr: _options.LearningRate);
        var step = _network.Acceleration.AdamStep(optimizer, _network.parameters(), _options.LearningRate);
        using var state = new TrainingState();
        if (checkpoint?.TryRestore(_network, optimizer, generator, state) == true)
            _log($"resuming from the checkpoint after epoch {state.Epoch}");
        while (state.Epoch < _options.Epochs && !state.Stopped)
        {
            int epoch = state.Epoch + 1;
            var clock = Stopwatch.StartNew();
            double klWeight = _options.Beta * (_options.KlWarmupEpochs > 0 ? Math.Min(1.0, (double)epoch / _options.KlWarmupEpochs) : 1.0);
            var (loss, reconstruction, kl, trainingRows) = TrainEpoch(training, optimizer, step, epoch, klWeight, seed);
            // Before the validation pass and the checkpoint: no checkpoint is written with non-finite weights.
            TrainedModelCheck.ThrowIfNonFinite(_network, $"epoch {epoch}", LikelyCauses);
            double? validationLoss = null;
            if (validation is not null)
            {
                var (validationSum, validationRows) = NegativeElboSum(validation);
                ValidationSplit.Check(_options.ValidationFraction, trainingRows, validationRows);
                validationLoss = validationSum / validationRows;
            }
            else if (trainingRows == 0)
            {
                throw new InvalidOperationException($"The training data has no rows: the VAE needs at least one row in column '{_options.InputColumnName}'.");
            }
            var metrics = new VaeEpochMetrics(epoch, loss, reconstruction, kl, validationLoss, clock.Elapsed.TotalSeconds);
            state.Epoch = epoch;
            state.History.Add(metrics);
            _log(metrics.ToString());
            if (validationLoss is double v) TrackValidation(state, v);
            if (checkpoint is not null && (epoch % _options.CheckpointFrequency == 0 || epoch == _options.Epochs || state.Stopped))
                checkpoint.Save(_network, optimizer, generator, state);
            _options.Progress?.Report(metrics);
        }
        if (state.Best is not null) _network.load_state_dict(state.Best);
        return state.History;
    }

    /// <summary>What the post-training checks name as the likely causes of non-finite weights or outputs.</summary>
    private string LikelyCauses =>
        "the likely cause is a LearningRate too large for the data (lower it, or set GradientClipNorm) or an input column " +
        "with large or unnormalized values (normalize it, e.g. NormalizeMeanVariance or NormalizeMinMax)" +
        (_options.UseBatchNorm ? ", or a mini-batch of one row with UseBatchNorm" : "") + ".";

    /// <summary>
    /// The trained network's weights, and its outputs on the first batch of <paramref name="probe"/> in evaluation
    /// mode, must be finite: a last step can leave finite weights so large that the outputs overflow, which no loss
    /// computed before that step can show.
    /// </summary>
    private void CheckOutputs(IBatchSource probe)
    {
        TrainedModelCheck.ThrowIfNonFinite(_network, "the last epoch", LikelyCauses);
        _network.eval();
        using var noGrad = no_grad();
        foreach (var batch in probe.GetBatches(_options.BatchSize, null))
        {
            using var scope = NewDisposeScope();
            var observed = batch.ToObservation(_device);
            var (mean, logVariance) = _network.Encode(observed.X, observed.Condition);
            TrainedModelCheck.ThrowIfNonFinite(mean, "the latent mean", LikelyCauses);
            TrainedModelCheck.ThrowIfNonFinite(logVariance, "the latent log-variance", LikelyCauses);
            TrainedModelCheck.ThrowIfNonFinite(_network.Decode(mean, observed.Condition), "the decoder's output", LikelyCauses);
            return;
        }
    }

    private void TrackValidation(TrainingState state, double validationLoss)
    {
        if (validationLoss < state.BestValidation)
        {
            state.BestValidation = validationLoss;
            state.EpochsWithoutImprovement = 0;
            state.ReplaceBest(Snapshot());
        }
        else if (++state.EpochsWithoutImprovement >= _options.EarlyStoppingPatience)
        {
            state.Stopped = true;
            _log($"early stopping after epoch {state.Epoch}: no better validation loss for {state.EpochsWithoutImprovement} epochs (best {state.BestValidation:F4})");
        }
    }

    private (double loss, double reconstruction, double kl, long rows) TrainEpoch(IBatchSource source, optim.Optimizer optimizer, IAdamStep step, int epoch, double klWeight, int seed)
    {
        _network.train();
        double lossSum = 0, reconstructionSum = 0, klSum = 0;
        long rows = 0;
        int batchIndex = 0;
        foreach (var batch in source.GetBatches(_options.BatchSize, unchecked(seed * 31 + epoch)))
        {
            _options.CancellationToken.ThrowIfCancellationRequested();
            batchIndex++;
            // Only a pass of one row in all gives a batch of one (the source folds a last one into the batch before).
            if (batch.Rows < 2) ValidationSplit.CheckBatchNorm(_options.UseBatchNorm, batch.Rows, _options.ValidationFraction);
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var objective = _objective.Compute(batch.ToObservation(_device), klWeight);
            double loss = objective.Loss.item<float>();
            if (!double.IsFinite(loss))
                throw new InvalidOperationException(
                    $"Training diverged at epoch {epoch}, batch {batchIndex}: the loss is {loss}. " +
                    "Lower LearningRate, normalize the input column, set GradientClipNorm, or narrow LogVarianceClamp.");
            objective.Loss.backward();
            if (_options.GradientClipNorm is double maxNorm) nn.utils.clip_grad_norm_(_network.parameters(), maxNorm);
            step.Step();
            lossSum += objective.LossSum;
            reconstructionSum += objective.ReconstructionSum;
            klSum += objective.KlSum;
            rows += batch.Rows;
        }
        // An empty pass is refused by the caller, which knows whether a validation split took the rows.
        return rows == 0 ? (double.NaN, double.NaN, double.NaN, 0) : (lossSum / rows, reconstructionSum / rows, klSum / rows, rows);
    }


    /// <summary>The summed negative ELBO (β = 1, one sample of z) over a source, in evaluation mode, and its row count.</summary>
    private (double Sum, long Rows) NegativeElboSum(IBatchSource source)
    {
        _network.eval();
        using var noGrad = no_grad();
        double sum = 0;
        long rows = 0;
        foreach (var batch in source.GetBatches(_options.BatchSize, null))
        {
            using var scope = NewDisposeScope();
            var observed = batch.ToObservation(_device);
            var (mean, logVariance) = _network.Encode(observed.X, observed.Condition);
            if (_network.Flow is not null || _network.IterativeInference is not null)
            {
                sum += Networks.Flows.PosteriorSamples.ValidationNegativeElbo(_network, observed, mean, logVariance);
                rows += batch.Rows;
                continue;
            }
            var output = _network.Decode(VaeNetwork.Reparameterize(mean, logVariance), observed.Condition);
            var terms = Elbo.Compute(output, observed.X, mean, logVariance, _network.ObservationLogVariance(), _options.Likelihood, 1.0, observation: _network.Observation);
            sum += terms.ReconstructionPerRow.Plus(terms.KlPerRow).sum().ToDouble();
            rows += batch.Rows;
        }
        return (sum, rows);
    }

    private Dictionary<string, Tensor> Snapshot()
    {
        using var noGrad = no_grad();
        return _network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone().DetachFromDisposeScope());
    }

}
