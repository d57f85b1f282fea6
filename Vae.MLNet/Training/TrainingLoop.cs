using System.Diagnostics;
using TorchSharp;
using Vae.MLNet.Backend;
using Vae.MLNet.Acceleration;
using static TorchSharp.torch;

namespace Vae.MLNet.Training;

/// <summary>
/// The training skeleton both models share (as Microsoft.ML.TorchSharp's TorchSharpBaseTrainer serves its tasks): Adam
/// on mini-batches streamed from a source, cancellation, a divergence check naming the epoch and batch, gradient
/// clipping, a validation split with early stopping that keeps the best weights, resumable checkpoints, the check that
/// the trained weights and outputs are finite, and the Fit's process scope with its one thread policy. The model's own
/// part (objective, validation loss, metrics, output probe) is its <see cref="ITrainingTask{TMetrics}"/>.
/// </summary>
internal sealed class TrainingLoop<TMetrics> where TMetrics : class
{
    private readonly ITrainingTask<TMetrics> _task;
    private readonly NeuralTrainingOptions _options;
    private readonly IProgress<TMetrics>? _progress;
    private readonly Action<string> _log;

    public TrainingLoop(ITrainingTask<TMetrics> task, NeuralTrainingOptions options, IProgress<TMetrics>? progress, Action<string> log)
    {
        _task = task;
        _options = options;
        _progress = progress;
        _log = log;
    }

    private nn.Module Network => _task.Network;

    /// <summary>
    /// Runs the epochs not yet done (resuming from the checkpoint when there is one) and leaves the network with the
    /// final weights, or the best validated ones, in evaluation mode. Every draw comes from <paramref name="generator"/>
    /// and <paramref name="seed"/>. The trained network's outputs on the first batch of <paramref name="probe"/>
    /// (default: the training rows) must be finite.
    /// </summary>
    public IReadOnlyList<TMetrics> Run(IBatchSource training, IBatchSource? validation, int seed, Generator generator, TrainingCheckpoint? checkpoint,
        IBatchSource? probe = null)
    {
        // The thread counts and malloc thresholds of the Fit, put back when it ends (the door's fit scope).
        using var process = _task.Acceleration.EnterFit(_options.TrainingThreads);
        using var draws = Noise.Use(generator);
        var history = RunEpochs(training, validation, seed, generator, checkpoint);
        CheckOutputs(probe ?? training);
        return history;
    }

    private IReadOnlyList<TMetrics> RunEpochs(IBatchSource training, IBatchSource? validation, int seed, Generator generator, TrainingCheckpoint? checkpoint)
    {
        using var optimizer = optim.Adam(Network.parameters(), lr: _options.LearningRate);
        var step = _task.Acceleration.AdamStep(optimizer, Network.parameters(), _options.LearningRate);
        using var state = new TrainingState<TMetrics>();
        if (checkpoint?.TryRestore(Network, optimizer, generator, state) == true)
            _log($"resuming from the checkpoint after epoch {state.Epoch}");
        while (state.Epoch < _options.Epochs && !state.Stopped)
        {
            int epoch = state.Epoch + 1;
            var clock = Stopwatch.StartNew();
            long trainingRows = TrainEpoch(training, optimizer, step, epoch, seed);
            // Before the validation pass and the checkpoint: no checkpoint is written with non-finite weights.
            TrainedModelCheck.ThrowIfNonFinite(Network, $"epoch {epoch}", _task.LikelyCauses);
            double? validationLoss = null;
            if (validation is not null)
            {
                var (validationSum, validationRows) = ValidationLossSum(validation);
                ValidationSplit.Check(_options.ValidationFraction, trainingRows, validationRows);
                validationLoss = validationSum / validationRows;
            }
            else if (trainingRows == 0)
            {
                throw new InvalidOperationException($"The training data has no rows: {_task.ModelName} needs at least one row in column '{_task.InputColumnName}'.");
            }
            var metrics = _task.EndEpoch(epoch, trainingRows, validationLoss, clock.Elapsed.TotalSeconds);
            state.Epoch = epoch;
            state.History.Add(metrics);
            _log(metrics.ToString()!);
            if (validationLoss is double v) TrackValidation(state, v);
            if (checkpoint is not null && (epoch % _options.CheckpointFrequency == 0 || epoch == _options.Epochs || state.Stopped))
                checkpoint.Save(Network, optimizer, generator, state);
            _progress?.Report(metrics);
        }
        if (state.Best is not null) Network.load_state_dict(state.Best);
        Network.eval();
        return state.History;
    }

    /// <summary>The rows trained on; the epoch's sums are the task's.</summary>
    private long TrainEpoch(IBatchSource source, optim.Optimizer optimizer, IAdamStep step, int epoch, int seed)
    {
        Network.train();
        _task.BeginEpoch(epoch);
        long rows = 0;
        int batchIndex = 0;
        foreach (var batch in source.GetBatches(_options.BatchSize, unchecked(seed * 31 + epoch)))
        {
            _options.CancellationToken.ThrowIfCancellationRequested();
            batchIndex++;
            // Only a pass of one row in all gives a batch of one (the source folds a last one into the batch before).
            if (batch.Rows < 2) ValidationSplit.CheckBatchNorm(_task.UsesBatchNorm, batch.Rows, _options.ValidationFraction);
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = _task.Loss(batch);
            if (!double.IsFinite(loss.Value))
                throw new InvalidOperationException($"Training diverged at epoch {epoch}, batch {batchIndex}: the loss is {loss.Value}. {_task.DivergenceRemedy}");
            loss.Loss.backward();
            if (_options.GradientClipNorm is double maxNorm) nn.utils.clip_grad_norm_(Network.parameters(), maxNorm);
            step.Step();
            rows += batch.Rows;
        }
        // An empty pass is refused by the caller, which knows whether a validation split took the rows.
        return rows;
    }

    /// <summary>The task's validation loss summed over a source, in evaluation mode, and its row count.</summary>
    private (double Sum, long Rows) ValidationLossSum(IBatchSource source)
    {
        Network.eval();
        using var noGrad = no_grad();
        double sum = 0;
        long rows = 0;
        foreach (var batch in source.GetBatches(_options.BatchSize, null))
        {
            using var scope = NewDisposeScope();
            sum += _task.ValidationLossSum(batch);
            rows += batch.Rows;
        }
        return (sum, rows);
    }

    private void TrackValidation(TrainingState<TMetrics> state, double validationLoss)
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

    /// <summary>
    /// The trained network's weights, and its outputs on the first batch of <paramref name="probe"/> in evaluation
    /// mode, must be finite: a last step can leave finite weights so large that the outputs overflow, which no loss
    /// computed before that step can show.
    /// </summary>
    private void CheckOutputs(IBatchSource probe)
    {
        TrainedModelCheck.ThrowIfNonFinite(Network, "the last epoch", _task.LikelyCauses);
        Network.eval();
        using var noGrad = no_grad();
        foreach (var batch in probe.GetBatches(_options.BatchSize, null))
        {
            using var scope = NewDisposeScope();
            _task.CheckOutputs(batch);
            return;
        }
    }

    private Dictionary<string, Tensor> Snapshot()
    {
        using var noGrad = no_grad();
        return Network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone().DetachFromDisposeScope());
    }
}
