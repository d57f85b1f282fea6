using TorchSharp;
using TorchSharp.Modules;
using Vae.MLNet.Acceleration;
using Vae.MLNet.Backend;
using Vae.MLNet.Training;
using static TorchSharp.torch;

namespace Vae.MLNet.Tests.Unit.Training;

/// <summary>
/// The shared training skeleton (<see cref="TrainingLoop{TMetrics}"/>) on a tiny module with a scripted validation
/// loss: early stopping keeps the best weights, divergence names the epoch and batch, cancellation, checkpoints resume
/// to the uninterrupted run's weights, non-finite weights are refused, and the output probe runs once in evaluation mode.
/// </summary>
[TestClass]
public sealed class TrainingLoopTests
{
    internal sealed record TinyMetrics(int Epoch, double Loss, double? ValidationLoss);

    /// <summary>A 3 → 1 linear map trained towards 1 on every row; its validation loss is scripted per epoch.</summary>
    private sealed class TinyTask(Linear module, double[]? validationLosses = null) : ITrainingTask<TinyMetrics>
    {
        private int _epoch;
        private double _sum;

        public int DivergeAtEpoch { get; init; }
        public int PoisonAtEpoch { get; init; }
        public int Probes { get; private set; }
        public nn.Module Network => module;
        public string ModelName => "the tiny model";
        public string InputColumnName => "Features";
        public bool UsesBatchNorm => false;
        public IAcceleration Acceleration { get; } = Accelerations.For(useOwnKernels: true);
        public string DivergenceRemedy => "Do something else.";
        public string LikelyCauses => "the tiny cause.";

        public void BeginEpoch(int epoch)
        {
            _epoch = epoch;
            _sum = 0;
        }

        public BatchLoss Loss(RowBatch batch)
        {
            var loss = module.call(batch.ToObservation().X).sub(Scalars.One).Squared().mean();
            double value = _epoch == DivergeAtEpoch ? double.NaN : loss.item<float>();
            // On the last batch (4 of 24 rows), so that the loss of no later batch of the epoch diverges first.
            if (_epoch == PoisonAtEpoch && batch.Rows < 5)
                using (no_grad()) module.weight!.fill_(double.NaN);
            _sum += value * batch.Rows;
            return new BatchLoss(loss, value);
        }

        public TinyMetrics EndEpoch(int epoch, long rows, double? validationLoss, double seconds) => new(epoch, _sum / rows, validationLoss);

        public double ValidationLossSum(RowBatch batch) => validationLosses![_epoch - 1] * batch.Rows;

        public void CheckOutputs(RowBatch batch)
        {
            Assert.IsFalse(module.training, "probed in evaluation mode");
            Probes++;
        }
    }

    private sealed class Reporter<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private static readonly float[][] Rows = Enumerable.Range(0, 24).Select(i => new[] { i % 3 * 0.5f, i % 5 * 0.25f, i % 7 * 0.125f }).ToArray();

    private static Linear Module()
    {
        using var generator = new Generator(7);
        var module = nn.Linear(3, 1);
        using (no_grad())
        {
            module.weight!.copy_(rand([1, 3], generator: generator));
            module.bias!.copy_(rand([1], generator: generator));
        }
        return module;
    }

    private static float[] Weights(nn.Module module) => module.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();

    private static AutoencoderOptions Options(int epochs, Action<AutoencoderOptions>? change = null)
    {
        var options = new AutoencoderOptions { Epochs = epochs, BatchSize = 5, LearningRate = 0.05 };
        change?.Invoke(options);
        return options;
    }

    private static IReadOnlyList<TinyMetrics> Run(TinyTask task, AutoencoderOptions options, IBatchSource? validation = null, TrainingCheckpoint? checkpoint = null,
        IProgress<TinyMetrics>? progress = null)
    {
        using var generator = new Generator(3);
        return new TrainingLoop<TinyMetrics>(task, options, progress, _ => { }).Run(new ArrayBatchSource(Rows), validation, seed: 2, generator, checkpoint);
    }

    [TestMethod]
    public void EarlyStoppingStopsAfterThePatienceAndKeepsTheBestEpochsWeights()
    {
        using var module = Module();
        // Best at epoch 3; epochs 4 and 5 do not beat it, so a patience of 2 stops after epoch 5.
        var task = new TinyTask(module, [5, 4, 3, 3.5, 3.2, 1, 1, 1, 1, 1]);
        var weightsAfter = new Dictionary<int, float[]>();
        var history = Run(task, Options(10, o => { o.ValidationFraction = 0.5; o.EarlyStoppingPatience = 2; }), new ArrayBatchSource(Rows[..4]),
            progress: new Reporter<TinyMetrics>(m => weightsAfter[m.Epoch] = Weights(module)));
        CollectionAssert.AreEqual(new double?[] { 5, 4, 3, 3.5, 3.2 }, history.Select(h => h.ValidationLoss).ToArray());
        CollectionAssert.AreNotEqual(weightsAfter[3], weightsAfter[5], "the weights moved after the best epoch");
        CollectionAssert.AreEqual(weightsAfter[3], Weights(module), "the best epoch's weights are kept");
        Assert.AreEqual(1, task.Probes);
    }

    [TestMethod]
    public void DivergenceNamesTheEpochTheBatchAndTheRemedy()
    {
        using var module = Module();
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => Run(new TinyTask(module) { DivergeAtEpoch = 2 }, Options(3)));
        Assert.AreEqual("Training diverged at epoch 2, batch 1: the loss is NaN. Do something else.", e.Message);
    }

    [TestMethod]
    public void NonFiniteWeightsAfterAnEpochAreRefusedNamingTheWeightAndTheCause()
    {
        using var module = Module();
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => Run(new TinyTask(module) { PoisonAtEpoch = 2 }, Options(3)));
        StringAssert.Contains(e.Message, "weight 'weight' after epoch 2");
        StringAssert.Contains(e.Message, "the tiny cause.");
    }

    [TestMethod]
    public void CancellationStopsTheFitAndNoEpochIsReportedAfterIt()
    {
        using var module = Module();
        using var cancellation = new CancellationTokenSource();
        var epochs = new List<int>();
        var options = Options(5, o => o.CancellationToken = cancellation.Token);
        Assert.ThrowsExactly<OperationCanceledException>(() => Run(new TinyTask(module), options,
            progress: new Reporter<TinyMetrics>(m => { epochs.Add(m.Epoch); if (m.Epoch == 2) cancellation.Cancel(); })));
        CollectionAssert.AreEqual(new[] { 1, 2 }, epochs);
    }

    [TestMethod]
    public void AnInterruptedRunResumesFromItsCheckpointToTheUninterruptedWeights()
    {
        float[] uninterrupted;
        IReadOnlyList<TinyMetrics> straight;
        using (var module = Module())
        {
            straight = Run(new TinyTask(module), Options(4));
            uninterrupted = Weights(module);
        }
        string path = Path.Combine(Path.GetTempPath(), $"tiny-{Guid.NewGuid():N}.checkpoint");
        try
        {
            using (var module = Module())
            using (var cancellation = new CancellationTokenSource())
            {
                var options = Options(4, o => { o.CheckpointPath = path; o.CancellationToken = cancellation.Token; });
                Assert.ThrowsExactly<OperationCanceledException>(() => Run(new TinyTask(module), options, checkpoint: new TrainingCheckpoint(path, "tiny"),
                    progress: new Reporter<TinyMetrics>(m => { if (m.Epoch == 2) cancellation.Cancel(); })));
            }
            using (var module = Module())
            {
                var resumed = Run(new TinyTask(module), Options(4, o => o.CheckpointPath = path), checkpoint: new TrainingCheckpoint(path, "tiny"));
                CollectionAssert.AreEqual(straight.Select(m => m.Loss).ToArray(), resumed.Select(m => m.Loss).ToArray(), "the history, two epochs of it from the checkpoint");
                CollectionAssert.AreEqual(uninterrupted, Weights(module));
            }
            using (var module = Module())
                Assert.ThrowsExactly<InvalidOperationException>(() => Run(new TinyTask(module), Options(4), checkpoint: new TrainingCheckpoint(path, "another run")));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void ARunWithoutTrainingRowsIsRefusedNamingTheModelAndTheColumn()
    {
        using var module = Module();
        using var generator = new Generator(3);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() =>
            new TrainingLoop<TinyMetrics>(new TinyTask(module), Options(2), null, _ => { }).Run(new EmptySource(), null, seed: 2, generator, checkpoint: null));
        Assert.AreEqual("The training data has no rows: the tiny model needs at least one row in column 'Features'.", e.Message);
    }

    private sealed class EmptySource : IBatchSource
    {
        public IEnumerable<RowBatch> GetBatches(int batchSize, int? shuffleSeed) => [];
    }
}
