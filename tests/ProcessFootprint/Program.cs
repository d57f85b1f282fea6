using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using ProcessFootprint;
using Vae.MLNet;

// ProcessFootprint predict MODEL.zip RESULT.json: records the host's state, loads the model, predicts one row with a
//   PredictionEngine and reads LatentMean through Transform, and records the state again.
// ProcessFootprint fit RESULT.json: records the state, Fits one model (TrainingThreads differs from libtorch's count),
//   recording the state in its first epoch and after it, then runs two overlapping Fits with different TrainingThreads on two threads (the first to enter
//   leaves first) and records it once more.
var states = new Dictionary<string, HostState> { ["before"] = HostState.Read() };
string mode = args[0];
var ml = new MLContext(seed: 1);
var rows = Enumerable.Range(0, 64).Select(i => new Row { Features = Enumerable.Range(0, Row.Width).Select(j => (float)Math.Sin(i * 0.7 + j)).ToArray() }).ToArray();
if (mode == "predict")
{
    var model = ml.Model.Load(args[1], out _);
    var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model);
    if (!float.IsFinite(engine.Predict(rows[0]).LatentMean[0])) throw new InvalidOperationException("non-finite prediction");
    var means = model.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<float[]>("LatentMean").ToList();
    if (means.Count != rows.Length) throw new InvalidOperationException("Transform lost rows");
    states["after"] = HostState.Read();
}
else if (mode == "fit")
{
    int wanted = states["before"].Threads == 1 ? 2 : 1;
    Fit(wanted, () => states["during fit"] = HostState.Read());
    states["after fit"] = HostState.Read();
    // First enters, second enters, first leaves, second leaves: each waits in its Progress report for the other.
    using var secondEntered = new ManualResetEventSlim();
    using var firstLeft = new ManualResetEventSlim();
    var first = new Thread(() =>
    {
        Fit(1, () => Wait(secondEntered));
        firstLeft.Set();
    });
    var second = new Thread(() => Fit(3, () => { secondEntered.Set(); Wait(firstLeft); }));
    first.Start();
    second.Start();
    first.Join();
    second.Join();
    states["after overlapping fits"] = HostState.Read();
}
else throw new ArgumentException($"unknown mode '{mode}': predict MODEL RESULT or fit RESULT");
File.WriteAllText(args[^1], JsonSerializer.Serialize(states));

void Fit(int threads, Action? inFirstEpoch)
{
    var options = new VaeOptions { LatentDimension = 2, HiddenDimensions = [8], Epochs = 2, BatchSize = 16, Seed = 3, TrainingThreads = threads };
    if (inFirstEpoch is not null) options.Progress = new Progress(metrics => { if (metrics.Epoch == 1) inFirstEpoch(); });
    using var model = new MLContext(seed: 1).Transforms.VaeEncode(options).Fit(ml.Data.LoadFromEnumerable(rows));
}

static void Wait(ManualResetEventSlim signal)
{
    if (!signal.Wait(TimeSpan.FromMinutes(2))) throw new TimeoutException("the other Fit did not reach its point");
}

namespace ProcessFootprint
{
    internal sealed class Row
    {
        public const int Width = 6;

        [VectorType(Width)]
        public float[] Features { get; set; } = [];
    }

    internal sealed class Prediction
    {
        public float[] LatentMean { get; set; } = [];
    }

    // Reports on the Fit's own thread, in order (System.Progress would post to the thread pool).
    internal sealed class Progress(Action<VaeEpochMetrics> report) : IProgress<VaeEpochMetrics>
    {
        public void Report(VaeEpochMetrics value) => report(value);
    }
}
