// Measures one figure per process (so peak memory is that figure's own) and prints it as one JSON line.
//   fit-mlp | fit-conv | transform | transform-dense | transform-conv | latency | growth-file ROWS | growth ROWS | read
//   [--side vae|plain] [--data DIR] [--threads N]
// --side plain runs the same figure with the plain TorchSharp loop of PlainTorchSharp.cs (the .NET peer).
// --threads N sets libtorch's intra-op threads (for Vae.MLNet's Fit through VaeOptions.TrainingThreads); 0 = libtorch's default.
// latency [--save-model FILE | --load-model FILE]: save the fitted model, or predict with a saved one without a Fit.
using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet;
using Vae.MLNet.Benchmarks;

string mode = args[0];
string side = Option("--side") ?? "vae";
string? dataFolder = Option("--data");
int threads = int.Parse(Option("--threads") ?? "0");
// --torch-adam: Fit steps with TorchSharp's Adam.step (the figure before the fused step).
Vae.MLNet.Acceleration.OwnKernels.UseTorchSharpAdamStep = args.Contains("--torch-adam");
if (threads > 0) TorchSharp.torch.set_num_threads(threads);
var ml = new MLContext(seed: 0);
// Rows of the MLP Fit (2 epochs, the second timed) and of the Transform passes: sized so that the whole side-by-side
// run (3 programs x 2 thread settings x 3 repeats) fits in about 15 minutes on a shared 2-core machine. bench.py uses the same.
const int FitRows = 30_000, TransformRows = 30_000;

var result = (side, mode) switch
{
    ("vae", "fit-mlp") => Fit(Mlp(epochs: 2), BenchmarkData.Mnist(dataFolder, FitRows)),
    ("vae", "fit-conv") => Fit(Conv(epochs: 1), BenchmarkData.Mnist(dataFolder, 20_000)),
    ("vae", "transform") => Transform(dataFolder),
    ("vae", "transform-conv") => Transform(dataFolder, Conv(epochs: 1)),
    ("vae", "transform-dense") => Transform(null),
    ("vae", "latency") => Latency(),
    ("vae", "growth") => Growth(int.Parse(args[1])),
    ("vae", "growth-file") => WriteGrowthFile(int.Parse(args[1])),
    ("vae", "read") => Read(),
    ("pca", "transform") => Pca(dataFolder),
    ("plain", "fit-mlp") => PlainTorchSharp.Fit(BenchmarkData.Flat(BenchmarkData.Mnist(dataFolder, FitRows)), FitRows, epochs: 2),
    ("plain", "transform") => PlainTorchSharp.Transform(BenchmarkData.Flat(BenchmarkData.Mnist(dataFolder, TransformRows)), TransformRows),
    ("plain", "transform-dense") => PlainTorchSharp.Transform(BenchmarkData.Flat(BenchmarkData.Mnist(null, TransformRows)), TransformRows),
    ("plain", "latency") => PlainTorchSharp.Latency(BenchmarkData.Flat(BenchmarkData.Mnist(dataFolder, 2048)), 2048),
    _ => throw new ArgumentException($"unknown figure {mode} for side {side}"),
};
result["side"] = side;
if (!result.ContainsKey("figure")) result["figure"] = mode;
result["threads"] = TorchSharp.torch.get_num_threads();
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

// Samples per second over the epochs after the first (the first warms the JIT and the allocator), fitted as a user
// would: LoadFromEnumerable, ML.NET's cache, VaeEncode.
Dictionary<string, object> Fit(VaeOptions options, ImageRow[] rows)
{
    var epochSeconds = new List<double>();
    var cpuAtEpochEnd = new List<TimeSpan> { Process.GetCurrentProcess().TotalProcessorTime };
    var faultsAtEpochEnd = new List<long> { ProcessCounters.MinorFaults() };
    options.Progress = new Recorder(m =>
    {
        epochSeconds.Add(m.Seconds);
        cpuAtEpochEnd.Add(Process.GetCurrentProcess().TotalProcessorTime);
        faultsAtEpochEnd.Add(ProcessCounters.MinorFaults());
    });
    // ml.Data.Cache is what AppendCacheCheckpoint puts before the next estimator (it needs one before it to append to).
    using var model = ml.Transforms.VaeEncode(options).Fit(ml.Data.Cache(ml.Data.LoadFromEnumerable(rows)));
    var timed = epochSeconds.Count > 1 ? epochSeconds.Skip(1).ToList() : epochSeconds;
    var cpu = cpuAtEpochEnd.Zip(cpuAtEpochEnd.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
    var timedCpu = cpu.Count > 1 ? cpu.Skip(1).ToList() : cpu;
    var faults = faultsAtEpochEnd.Zip(faultsAtEpochEnd.Skip(1), (a, b) => (double)(b - a)).ToList();
    return new()
    {
        ["samples_per_s"] = rows.Length / Stats.Median(timed), ["cpu_us_per_sample"] = Stats.Median(timedCpu) * 1e6 / rows.Length,
        ["minor_faults_per_sample"] = Stats.Median(faults.Count > 1 ? faults.Skip(1).ToList() : faults) / rows.Length, ["rows"] = rows.Length,
    };
}

// The user's Transform path: LoadFromEnumerable, ML.NET's cache, VaeEncode's Transform, a cursor reading LatentMean.
// transform-dense uses the generated images, which have no zero pixels (MNIST's pixels are 81% zeros).
Dictionary<string, object> Transform(string? folder, VaeOptions? options = null)
{
    var data = ml.Data.Cache(ml.Data.LoadFromEnumerable(BenchmarkData.Mnist(folder, TransformRows)));
    using var model = ml.Transforms.VaeEncode(options ?? Mlp(epochs: 1)).Fit(ml.Data.TakeRows(data, 1024));
    long faults = ProcessCounters.MinorFaults();
    var (rate, cpu) = CursorRate(model.Transform(data), "LatentMean");
    return new() { ["rows_per_s"] = rate, ["cpu_us_per_row"] = cpu, ["minor_faults_per_row"] = (ProcessCounters.MinorFaults() - faults) / (5.0 * TransformRows) };
}

// ML.NET's own dimensionality reduction at the VAE's output width: ProjectToPrincipalComponents (rank 20), fitted on
// the same 1,024 rows, its output read through the same cached view and cursor.
Dictionary<string, object> Pca(string? folder)
{
    var data = ml.Data.Cache(ml.Data.LoadFromEnumerable(BenchmarkData.Mnist(folder, TransformRows)));
    var model = ml.Transforms.ProjectToPrincipalComponents("Projected", "Pixels", rank: 20, seed: 0).Fit(ml.Data.TakeRows(data, 1024));
    var (rate, cpu) = CursorRate(model.Transform(data), "Projected");
    return new() { ["rows_per_s"] = rate, ["cpu_us_per_row"] = cpu };
}

// The data path alone: how fast a cursor reads the Pixels column of the cached view (no network).
Dictionary<string, object> Read() =>
    new() { ["rows_per_s"] = CursorRate(ml.Data.Cache(ml.Data.LoadFromEnumerable(BenchmarkData.Mnist(dataFolder, 60_000))), "Pixels").rowsPerSecond };

// Rows per second of a cursor reading one vector column to the end: the median of 4 passes after a warm-up pass
// (which also fills ML.NET's cache); and the CPU time of all threads per row, the figure load disturbs least.
static (double rowsPerSecond, double cpuMicrosecondsPerRow) CursorRate(IDataView view, string columnName)
{
    var column = view.Schema[columnName];
    var rates = new List<double>();
    var cpu = new List<double>();
    for (int run = 0; run < 5; run++)
    {
        var clock = Stopwatch.StartNew();
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
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
        cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalMicroseconds / count);
    }
    return (Stats.Median(rates.Skip(1).ToList()), Stats.Median(cpu.Skip(1).ToList()));
}

// One-row PredictionEngine calls: median and 99th percentile in microseconds. The model is fitted in this process, or
// with --load-model FILE loaded from a file that --save-model FILE wrote (a process that never Fits).
Dictionary<string, object> Latency()
{
    var rows = BenchmarkData.Mnist(dataFolder, 2048);
    var data = ml.Data.LoadFromEnumerable(rows);
    ITransformer model = Option("--load-model") is { } load ? ml.Model.Load(load, out _) : ml.Transforms.VaeEncode(Mlp(epochs: 1)).Fit(data);
    if (Option("--save-model") is { } save) ml.Model.Save(model, data.Schema, save);
    long faults = ProcessCounters.MinorFaults();
    var engine = ml.Model.CreatePredictionEngine<ImageRow, LatentRow>(model);
    var output = new LatentRow();
    for (int i = 0; i < 1000; i++) engine.Predict(rows[i % rows.Length], ref output);
    var micros = new double[10_000];
    for (int i = 0; i < micros.Length; i++)
    {
        long start = Stopwatch.GetTimestamp();
        engine.Predict(rows[i % rows.Length], ref output);
        micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }
    Array.Sort(micros);
    (model as IDisposable)?.Dispose();
    return new()
    {
        ["median_us"] = micros[micros.Length / 2], ["p99_us"] = micros[(int)(micros.Length * 0.99)],
        ["minor_faults_per_call"] = (ProcessCounters.MinorFaults() - faults) / (1000.0 + micros.Length), ["model"] = Option("--load-model") is null ? "fitted" : "loaded",
    };
}

// One epoch streamed from a file-backed IDataView (ML.NET's binary IDV in the temp folder, written beforehand by
// "growth-file ROWS" in a process of its own, so that writing it is not in this figure's peak memory):
// milliseconds per 1,000 rows and peak memory, which should both stay flat as the file grows.
Dictionary<string, object> Growth(int count)
{
    string file = GrowthFile(count);
    if (!File.Exists(file)) throw new FileNotFoundException($"{file} is missing: run 'growth-file {count}' first.");
    var clock = Stopwatch.StartNew();
    using var model = ml.Transforms.VaeEncode(Mlp(epochs: 1)).Fit(ml.Data.LoadFromBinary(file));
    return new() { ["figure"] = $"growth-{count}", ["ms_per_1000_rows"] = clock.Elapsed.TotalMilliseconds * 1000 / count, ["rows"] = count, ["file_mb"] = new FileInfo(file).Length / 1e6 };
}

Dictionary<string, object> WriteGrowthFile(int count)
{
    string file = GrowthFile(count);
    if (!File.Exists(file))
    {
        string partial = file + ".partial";
        using (var stream = File.Create(partial)) ml.Data.SaveAsBinary(ml.Data.LoadFromEnumerable(BenchmarkData.Stream(count)), stream, keepHidden: false);
        File.Move(partial, file, overwrite: true);
    }
    return new() { ["figure"] = $"growth-file-{count}", ["file_mb"] = new FileInfo(file).Length / 1e6 };
}

static string GrowthFile(int count) => Path.Combine(Path.GetTempPath(), $"vae-mlnet-growth-{count}.idv");

string? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
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

/// <summary>What the kernel counts for this process.</summary>
internal static class ProcessCounters
{
    /// <summary>Pages mapped in on first touch (field 10 of /proc/self/stat): memory malloc gave back and took again.</summary>
    public static long MinorFaults()
    {
        string stat = File.ReadAllText("/proc/self/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[7]);
    }
}

/// <summary>Medians, as every figure here reports them.</summary>
internal static class Stats
{
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

