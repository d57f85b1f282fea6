using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Vae.MLNet.Benchmarks;

/// <summary>
/// The .NET user's alternative to Vae.MLNet: pytorch/examples' VAE written with TorchSharp the way TorchSharp's
/// documentation writes a model and its training loop (a Module with Linear layers, a dispose scope per batch,
/// torch.optim.Adam, backward, step). It is the peer, not ours to tune: no tricks beyond what the docs show.
/// </summary>
internal sealed class PlainVae : Module<Tensor, Tensor>
{
    private readonly Linear fc1 = Linear(784, 400), fc21 = Linear(400, 20), fc22 = Linear(400, 20), fc3 = Linear(20, 400), fc4 = Linear(400, 784);

    public PlainVae() : base(nameof(PlainVae)) => RegisterComponents();

    public (Tensor mu, Tensor logvar) Encode(Tensor x)
    {
        var h = functional.relu(fc1.forward(x));
        return (fc21.forward(h), fc22.forward(h));
    }

    public Tensor Decode(Tensor z) => fc4.forward(functional.relu(fc3.forward(z)));

    public override Tensor forward(Tensor x)
    {
        var (mu, logvar) = Encode(x);
        return Decode(mu + randn_like(mu) * exp(0.5 * logvar));
    }
}

/// <summary>The plain loop's figures, measured like PyTorch's in bench.py.</summary>
internal static class PlainTorchSharp
{
    public static Dictionary<string, object> Fit(float[] pixels, int rows, int epochs)
    {
        manual_seed(0);
        using var data = tensor(pixels, [rows, 784]);
        using var model = new PlainVae();
        using var optimizer = optim.Adam(model.parameters(), lr: 1e-3);
        model.train();
        var seconds = new List<double>();
        var cpu = new List<double>();
        var faults = new List<double>();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            long faultsStart = ProcessCounters.MinorFaults();
            using var order = randperm(rows);
            for (int i = 0; i < rows; i += 128)
            {
                using var scope = NewDisposeScope();
                var x = data[order[TensorIndex.Slice(i, Math.Min(i + 128, rows))]];
                var (mu, logvar) = model.Encode(x);
                var z = mu + randn_like(mu) * exp(0.5 * logvar);
                var recon = functional.binary_cross_entropy_with_logits(model.Decode(z), x, reduction: Reduction.Sum);
                var kl = -0.5 * sum(1 + logvar - mu.pow(2) - logvar.exp());
                var loss = (recon + kl) / x.shape[0];
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
            seconds.Add(clock.Elapsed.TotalSeconds);
            cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds);
            faults.Add(ProcessCounters.MinorFaults() - faultsStart);
        }
        var timed = seconds.Count > 1 ? seconds.Skip(1).ToList() : seconds;
        var timedCpu = cpu.Count > 1 ? cpu.Skip(1).ToList() : cpu;
        return new() { ["samples_per_s"] = rows / Stats.Median(timed), ["cpu_us_per_sample"] = Stats.Median(timedCpu) * 1e6 / rows,
            ["minor_faults_per_sample"] = Stats.Median(faults.Skip(1).DefaultIfEmpty(faults[0]).ToList()) / rows, ["rows"] = rows };
    }

    public static Dictionary<string, object> Transform(float[] pixels, int rows)
    {
        using var data = tensor(pixels, [rows, 784]);
        using var model = new PlainVae();
        model.eval();
        var rates = new List<double>();
        using (no_grad())
        {
            for (int run = 0; run < 5; run++)
            {
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < rows; i += 256)
                {
                    using var scope = NewDisposeScope();
                    model.Encode(data[TensorIndex.Slice(i, Math.Min(i + 256, rows))]);
                }
                rates.Add(rows / clock.Elapsed.TotalSeconds);
            }
        }
        return new() { ["rows_per_s"] = Stats.Median(rates.Skip(1).ToList()) };
    }

    public static Dictionary<string, object> Latency(float[] pixels, int rows)
    {
        using var data = tensor(pixels, [rows, 784]);
        using var model = new PlainVae();
        model.eval();
        var micros = new double[10_000];
        using (no_grad())
        {
            for (int i = 0; i < 1000; i++)
            {
                using var scope = NewDisposeScope();
                model.Encode(data[TensorIndex.Slice(i % rows, i % rows + 1)]);
            }
            for (int i = 0; i < micros.Length; i++)
            {
                long start = Stopwatch.GetTimestamp();
                using (NewDisposeScope()) model.Encode(data[TensorIndex.Slice(i % rows, i % rows + 1)]);
                micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
        }
        Array.Sort(micros);
        return new() { ["median_us"] = micros[micros.Length / 2], ["p99_us"] = micros[(int)(micros.Length * 0.99)] };
    }
}
