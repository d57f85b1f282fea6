using System.Diagnostics;
using Vae.MLNet.Networks;
using Vae.MLNet.Torch;
using static Vae.MLNet.Torch.torch;

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
    /// final weights, or the best validated ones.
    /// </summary>
    public IReadOnlyList<VaeEpochMetrics> Run(IBatchSource training, IBatchSource? validation, int seed, Generator generator, TrainingCheckpoint? checkpoint)
    {
        int shards = ShardCount();
        // Shard 0 draws from the caller's generator, so a one-shard run is the plain single-threaded loop.
        var generators = new[] { generator }.Concat(Enumerable.Range(1, shards - 1).Select(s => new Generator(unchecked(seed * 7919L + s)))).ToArray();
        int previousThreads = get_num_threads();
        int previousBlasThreads = set_blas_num_threads(1);
        set_num_threads(1);
        try
        {
            using var runner = new ShardRunner(shards, () => set_num_threads(1));
            return Run(training, validation, seed, generators, runner, checkpoint);
        }
        finally
        {
            set_num_threads(previousThreads);
            if (previousBlasThreads > 0) set_blas_num_threads(previousBlasThreads);
            foreach (var g in generators.Skip(1)) g.Dispose();
            // The blocks training kept for reuse go back to the system once it is over.
            cpu.empty_cache();
        }
    }

    /// <summary>
    /// Rows of a batch are split across this many threads, each running forward and backward on its share with one
    /// intra-op thread; their gradients add up in the shared parameters. Batch norm and free bits couple the rows
    /// of a batch, so they train on one thread.
    /// </summary>
    private int ShardCount()
    {
        if (_options.UseBatchNorm || _options.FreeBits > 0 || _device.type != DeviceType.CPU) return 1;
        return _options.TrainingThreads > 0 ? _options.TrainingThreads : Math.Clamp(Environment.ProcessorCount, 1, 8);
    }

    private IReadOnlyList<VaeEpochMetrics> Run(IBatchSource training, IBatchSource? validation, int seed, Generator[] generators, ShardRunner runner,
        TrainingCheckpoint? checkpoint)
    {
        // On the CPU the fused Adam updates in one pass per parameter, split across the shard threads.
        bool cpu = _device.type == DeviceType.CPU;
        using var optimizer = optim.Adam(_network.parameters(), lr: _options.LearningRate, fused: cpu);
        optimizer.Threads = runner.Shards;
        using var state = new TrainingState();
        if (checkpoint?.TryRestore(_network, optimizer, generators, state) == true)
            _log($"resuming from the checkpoint after epoch {state.Epoch}");
        while (state.Epoch < _options.Epochs && !state.Stopped)
        {
            int epoch = state.Epoch + 1;
            var clock = Stopwatch.StartNew();
            double klWeight = _options.Beta * (_options.KlWarmupEpochs > 0 ? Math.Min(1.0, (double)epoch / _options.KlWarmupEpochs) : 1.0);
            var (loss, reconstruction, kl) = TrainEpoch(training, optimizer, runner, generators, epoch, klWeight, seed);
            double? validationLoss = validation is null ? null : NegativeElbo(validation);
            var metrics = new VaeEpochMetrics(epoch, loss, reconstruction, kl, validationLoss, clock.Elapsed.TotalSeconds);
            state.Epoch = epoch;
            state.History.Add(metrics);
            _log(metrics.ToString());
            if (validationLoss is double v) TrackValidation(state, v);
            if (checkpoint is not null && (epoch % _options.CheckpointFrequency == 0 || epoch == _options.Epochs || state.Stopped))
                checkpoint.Save(_network, optimizer, generators, state);
            _options.Progress?.Report(metrics);
        }
        if (state.Best is not null) _network.load_state_dict(state.Best);
        return state.History;
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

    private (double loss, double reconstruction, double kl) TrainEpoch(IBatchSource source, optim.Optimizer optimizer, ShardRunner runner,
        Generator[] generators, int epoch, double klWeight, int seed)
    {
        _network.train();
        double lossSum = 0, reconstructionSum = 0, klSum = 0;
        long rows = 0;
        int batchIndex = 0;
        var sums = new BatchObjectiveSums[runner.Shards];
        foreach (var batch in source.GetBatches(_options.BatchSize, unchecked(seed * 31 + epoch)))
        {
            _options.CancellationToken.ThrowIfCancellationRequested();
            batchIndex++;
            optimizer.zero_grad();
            int shards = Math.Min(runner.Shards, batch.Rows);
            Array.Clear(sums);
            runner.Run(shard =>
            {
                if (shard >= shards) return;
                int start = batch.Rows * shard / shards, count = batch.Rows * (shard + 1) / shards - start;
                using var draws = random.use(generators[shard]);
                sums[shard] = Backward(batch, start, count, klWeight, epoch, batchIndex);
            });
            if (_options.GradientClipNorm is double maxNorm) nn.utils.clip_grad_norm_(optimizer.parameters(), maxNorm);
            optimizer.step();
            foreach (var s in sums)
            {
                lossSum += s.Loss;
                reconstructionSum += s.Reconstruction;
                klSum += s.Kl;
            }
            rows += batch.Rows;
        }
        if (rows == 0) throw new InvalidOperationException("The training data has no rows.");
        return (lossSum / rows, reconstructionSum / rows, klSum / rows);
    }

    /// <summary>Backpropagates one shard's share of the batch loss (its mean loss weighted by its share of the rows).</summary>
    private BatchObjectiveSums Backward(RowBatch batch, int start, int count, double klWeight, int epoch, int batchIndex)
    {
        using var scope = NewDisposeScope();
        var objective = _objective.Compute(batch.ToObservation(_device, start, count), klWeight);
        double loss = objective.Loss.item<double>();
        if (!double.IsFinite(loss))
            throw new InvalidOperationException(
                $"Training diverged at epoch {epoch}, batch {batchIndex}: the loss is {loss}. " +
                "Lower LearningRate, normalize the input column, set GradientClipNorm, or narrow LogVarianceClamp.");
        var share = count == batch.Rows ? objective.Loss : objective.Loss * ((double)count / batch.Rows);
        share.backward();
        return new BatchObjectiveSums(objective.LossSum, objective.ReconstructionSum, objective.KlSum);
    }

    private readonly record struct BatchObjectiveSums(double Loss, double Reconstruction, double Kl);

    /// <summary>The average negative ELBO (β = 1, one sample of z) over a source, in evaluation mode.</summary>
    private double NegativeElbo(IBatchSource source)
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
            var output = _network.Decode(VaeNetwork.Reparameterize(mean, logVariance), observed.Condition);
            var terms = Elbo.Compute(output, observed.X, mean, logVariance, _network.ObservationLogVariance(), _options.Likelihood, 1.0);
            sum += (terms.ReconstructionPerRow + terms.KlPerRow).sum().item<double>();
            rows += batch.Rows;
        }
        return sum / rows;
    }

    private Dictionary<string, Tensor> Snapshot()
    {
        using var noGrad = no_grad();
        return _network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone().DetachFromDisposeScope());
    }

}
