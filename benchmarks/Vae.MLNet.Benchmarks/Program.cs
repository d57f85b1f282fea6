// Measures one figure per process (so peak memory is that figure's own) and prints it as one JSON line.
//   fit-mlp | fit-conv | transform | transform-dense | latency | growth ROWS | read   [--data DIR] [--threads N]
using System.Diagnostics;
using System.Text.Json;
using Vae.MLNet;
using Vae.MLNet.Benchmarks;
using Vae.MLNet.Data;

string mode = args[0];
string? dataFolder = Option("--data");
int threads = int.Parse(Option("--threads") ?? "0");
var ml = new MLContext(seed: 0);
if (Option("--torch-threads") is string t) Vae.MLNet.Torch.torch.set_num_threads(int.Parse(t));
if (Option("--blas-threads") is string b) Vae.MLNet.Torch.torch.set_blas_num_threads(int.Parse(b));

var result = mode switch
{
    "fit-mlp" => Fit(Mlp(epochs: 2), BenchmarkData.Mnist(dataFolder, 60_000)),
    "fit-conv" => Fit(Conv(epochs: 1), BenchmarkData.Mnist(dataFolder, 20_000)),
    "transform" => Transform(dataFolder),
    "transform-dense" => Transform(null),
    "latency" => Latency(),
    "growth" => Growth(int.Parse(args[1])),
    "read" => Read(),
    _ => throw new ArgumentException($"unknown mode {mode}"),
};
result["peak_rss_mb"] = PeakResidentMegabytes();
Console.WriteLine(JsonSerializer.Serialize(result));

VaeOptions Mlp(int epochs) => new()
{
    InputColumnName = "Pixels", LatentDimension = 20, HiddenDimensions = [400], Likelihood = VaeLikelihood.Bernoulli,
    Epochs = epochs, BatchSize = 128, LearningRate = 1e-3, Seed = 0, TrainingThreads = threads,
};

VaeOptions Conv(int epochs)
{
    var o = Mlp(epochs);
    o.Architecture = VaeArchitecture.Convolutional;
    o.ImageShape = [1, 28, 28];
    o.HiddenDimensions = [32, 64];
    return o;
}

// Samples per second over the epochs after the first (the first warms the JIT and the allocator).
Dictionary<string, object> Fit(VaeOptions options, ImageRow[] rows)
{
    var epochSeconds = new List<double>();
    options.Progress = new Recorder(m => epochSeconds.Add(m.Seconds));
    using var model = ml.Transforms.VaeEncode(options).Fit(ml.Data.LoadFromEnumerable(rows));
    var timed = epochSeconds.Count > 1 ? epochSeconds.Skip(1).ToList() : epochSeconds;
    return new() { ["figure"] = mode, ["samples_per_s"] = rows.Length / Median(timed), ["rows"] = rows.Length };
}

// The whole IDataView path: a loaded view through VaeEncode to a consumer that reads LatentMean. transform-dense uses
// the generated images, which have no zero pixels, so no input is skipped (MNIST's pixels are 81% zeros).
Dictionary<string, object> Transform(string? folder)
{
    var data = ml.Data.LoadFromEnumerable(BenchmarkData.Mnist(folder, 60_000));
    using var model = ml.Transforms.VaeEncode(Mlp(epochs: 1)).Fit(ml.Data.TakeRows(data, 1024));
    return new() { ["figure"] = mode, ["rows_per_s"] = CursorRate(model.Transform(data), "LatentMean") };
}

// The data path alone: how fast a cursor reads the Pixels column of the loaded view (no network).
Dictionary<string, object> Read() =>
    new() { ["figure"] = mode, ["rows_per_s"] = CursorRate(ml.Data.LoadFromEnumerable(BenchmarkData.Mnist(dataFolder, 60_000)), "Pixels") };

// Rows per second of a cursor reading one vector column to the end: the median of 4 passes after a warm-up pass.
static double CursorRate(IDataView view, string columnName)
{
    var column = view.Schema[columnName];
    var rates = new List<double>();
    for (int run = 0; run < 5; run++)
    {
        var clock = Stopwatch.StartNew();
        using var cursor = view.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var value = default(VBuffer<float>);
        long count = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            count++;
        }
        rates.Add(count / clock.Elapsed.TotalSeconds);
    }
    return Median(rates.Skip(1).ToList());
}

// One-row PredictionEngine calls: median and 99th percentile in microseconds.
Dictionary<string, object> Latency()
{
    var rows = BenchmarkData.Mnist(dataFolder, 2048);
    using var model = ml.Transforms.VaeEncode(Mlp(epochs: 1)).Fit(ml.Data.LoadFromEnumerable(rows));
    var engine = ml.Model.CreatePredictionEngine<ImageRow, LatentRow>(model);
    var output = new LatentRow();
    for (int i = 0; i < 2000; i++) engine.Predict(rows[i % rows.Length], ref output);
    var micros = new double[20_000];
    for (int i = 0; i < micros.Length; i++)
    {
        long start = Stopwatch.GetTimestamp();
        engine.Predict(rows[i % rows.Length], ref output);
        micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }
    Array.Sort(micros);
    return new() { ["figure"] = mode, ["median_us"] = micros[micros.Length / 2], ["p99_us"] = micros[(int)(micros.Length * 0.99)] };
}

// One epoch over rows generated while streaming: seconds per 1,000 rows and peak memory.
Dictionary<string, object> Growth(int count)
{
    var clock = Stopwatch.StartNew();
    using var model = ml.Transforms.VaeEncode(Mlp(epochs: 1)).Fit(ml.Data.LoadFromEnumerable(BenchmarkData.Stream(count)));
    return new() { ["figure"] = $"growth-{count}", ["ms_per_1000_rows"] = clock.Elapsed.TotalMilliseconds * 1000 / count, ["rows"] = count };
}

string? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static double Median(IReadOnlyList<double> values)
{
    var sorted = values.OrderBy(v => v).ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static double PeakResidentMegabytes()
{
    foreach (string line in File.ReadLines("/proc/self/status"))
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
    return double.NaN;
}

/// <summary>What the latency benchmark reads back.</summary>
public sealed class LatentRow
{
    /// <summary>The latent mean.</summary>
    public float[] LatentMean { get; set; } = [];
}

/// <summary>Collects epoch metrics on the training thread.</summary>
internal sealed class Recorder(Action<VaeEpochMetrics> record) : IProgress<VaeEpochMetrics>
{
    public void Report(VaeEpochMetrics value) => record(value);
}
