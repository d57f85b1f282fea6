using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using Vae.MLNet.Backend;
using Vae.MLNet.Networks;
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
    /// final weights, or the best validated ones. The first training thread draws from <paramref name="generator"/>,
    /// the others from generators seeded from <paramref name="seed"/>.
    /// </summary>
    public IReadOnlyList<VaeEpochMetrics> Run(IBatchSource training, IBatchSource? validation, int seed, Generator generator, TrainingCheckpoint? checkpoint)
    {
        int shards = ShardCount();
        var generators = new[] { generator }.Concat(Enumerable.Range(1, shards - 1).Select(s => new Generator(unchecked((ulong)(seed * 7919L + s))))).ToArray();
        // libtorch's intra-op threads are process-wide: set for the fit, and put back after. Split batches run each
        // share on one intra-op thread (libtorch's threads would otherwise contend with the shard threads).
        int previousThreads = get_num_threads();
        int intraOpThreads = shards > 1 ? 1 : _options.TrainingThreads;
        if (intraOpThreads > 0) set_num_threads(intraOpThreads);
        try
        {
            using var runner = new ShardRunner(shards, () => set_num_threads(1));
            using var draws = Noise.Use(generator);
            return RunEpochs(training, validation, seed, generators, runner, checkpoint);
        }
        finally
        {
            if (intraOpThreads > 0) set_num_threads(previousThreads);
            foreach (var g in generators.Skip(1)) g.Dispose();
        }
    }

    /// <summary>
    /// How many threads share each mini-batch: each runs forward and backward on its rows, and their gradients are
    /// added in a fixed order, so a fit repeats exactly for a seed and thread count. Batch norm and free bits couple
    /// the rows of a batch, so they train on one thread (with TrainingThreads intra-op threads).
    /// </summary>
    private int ShardCount()
    {
        if (_options.UseBatchNorm || _options.FreeBits > 0 || _device.type != DeviceType.CPU) return 1;
        return _options.TrainingThreads > 0 ? _options.TrainingThreads : Math.Clamp(Environment.ProcessorCount, 1, 8);
    }

    private IReadOnlyList<VaeEpochMetrics> RunEpochs(IBatchSource training, IBatchSource? validation, int seed, Generator[] generators, ShardRunner runner,
        TrainingCheckpoint? checkpoint)
    {
        using var optimizer = optim.Adam(_network.parameters(), lr: _options.LearningRate);
        using var state = new TrainingState();
        if (checkpoint?.TryRestore(_network, optimizer, generators, state) == true)
            _log($"resuming from the checkpoint after epoch {state.Epoch}");
        var parameters = _network.parameters().ToArray();
        while (state.Epoch < _options.Epochs && !state.Stopped)
        {
            int epoch = state.Epoch + 1;
            var clock = Stopwatch.StartNew();
            double klWeight = _options.Beta * (_options.KlWarmupEpochs > 0 ? Math.Min(1.0, (double)epoch / _options.KlWarmupEpochs) : 1.0);
            var (loss, reconstruction, kl) = TrainEpoch(training, optimizer, parameters, runner, generators, epoch, klWeight, seed);
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

    private (double loss, double reconstruction, double kl) TrainEpoch(IBatchSource source, optim.Optimizer optimizer, Parameter[] parameters,
        ShardRunner runner, Generator[] generators, int epoch, double klWeight, int seed)
    {
        _network.train();
        double lossSum = 0, reconstructionSum = 0, klSum = 0;
        long rows = 0;
        int batchIndex = 0;
        var shares = new Share[runner.Shards];
        foreach (var batch in source.GetBatches(_options.BatchSize, unchecked(seed * 31 + epoch)))
        {
            _options.CancellationToken.ThrowIfCancellationRequested();
            batchIndex++;
            optimizer.zero_grad();
            int shards = Math.Min(runner.Shards, batch.Rows);
            if (shards == 1)
            {
                using var scope = NewDisposeScope();
                shares[0] = Backward(batch, 0, batch.Rows, klWeight, epoch, batchIndex, parameters: null);
            }
            else
            {
                Array.Clear(shares);
                try
                {
                    runner.Run(shard =>
                    {
                        if (shard >= shards) return;
                        int start = batch.Rows * shard / shards, count = batch.Rows * (shard + 1) / shards - start;
                        using var draws = Noise.Use(generators[shard]);
                        using var scope = NewDisposeScope();
                        shares[shard] = Backward(batch, start, count, klWeight, epoch, batchIndex, parameters);
                    });
                    AddGradients(parameters, shares.AsSpan(0, shards));
                }
                finally
                {
                    foreach (var share in shares)
                        if (share.Gradients is not null) foreach (var g in share.Gradients) g?.Dispose();
                }
            }
            if (_options.GradientClipNorm is double maxNorm) nn.utils.clip_grad_norm_(parameters, maxNorm);
            optimizer.step();
            foreach (var share in shares.AsSpan(0, shards))
            {
                lossSum += share.LossSum;
                reconstructionSum += share.ReconstructionSum;
                klSum += share.KlSum;
            }
            rows += batch.Rows;
        }
        if (rows == 0) throw new InvalidOperationException("The training data has no rows.");
        return (lossSum / rows, reconstructionSum / rows, klSum / rows);
    }

    /// <summary>
    /// One share's part of the batch loss (its mean loss weighted by its share of the rows), backpropagated: into the
    /// parameters' gradients when <paramref name="parameters"/> is null, else into gradients of its own (returned, owned
    /// by the caller), so threads never add into the same tensor.
    /// </summary>
    private Share Backward(RowBatch batch, int start, int count, double klWeight, int epoch, int batchIndex, Parameter[]? parameters)
    {
        var objective = _objective.Compute(batch.ToObservation(_device, start, count), klWeight);
        double loss = objective.Loss.item<float>();
        if (!double.IsFinite(loss))
            throw new InvalidOperationException(
                $"Training diverged at epoch {epoch}, batch {batchIndex}: the loss is {loss}. " +
                "Lower LearningRate, normalize the input column, set GradientClipNorm, or narrow LogVarianceClamp.");
        var share = count == batch.Rows ? objective.Loss : objective.Loss * ((double)count / batch.Rows);
        if (parameters is null)
        {
            share.backward();
            return new Share(null, objective.LossSum, objective.ReconstructionSum, objective.KlSum);
        }
        var gradients = autograd.grad([share], parameters, allow_unused: true).Select(g => g?.DetachFromDisposeScope()).ToArray();
        return new Share(gradients, objective.LossSum, objective.ReconstructionSum, objective.KlSum);
    }

    /// <summary>Sets each parameter's gradient to the sum of the shares' gradients, added in share order.</summary>
    private static void AddGradients(Parameter[] parameters, ReadOnlySpan<Share> shares)
    {
        using var scope = NewDisposeScope();
        for (int i = 0; i < parameters.Length; i++)
        {
            Tensor? sum = null;
            foreach (var share in shares)
            {
                var g = share.Gradients![i];
                if (g is null) continue;
                sum = sum is null ? g.alias() : sum.add_(g);
            }
            if (sum is not null) parameters[i].grad = sum;
        }
    }

    /// <summary>What one thread's share of a batch gives: its gradients (when split) and its per-row sums.</summary>
    private readonly record struct Share(Tensor?[]? Gradients, double LossSum, double ReconstructionSum, double KlSum);

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
            sum += (terms.ReconstructionPerRow + terms.KlPerRow).sum().ToDouble();
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
