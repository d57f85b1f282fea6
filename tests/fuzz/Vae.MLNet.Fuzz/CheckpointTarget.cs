using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML;
using TorchSharp.Modules;
using Vae.MLNet.Networks;
using Vae.MLNet.Tests.Reliability;
using Vae.MLNet.Training;
using static TorchSharp.torch;

namespace Vae.MLNet.Fuzz;

/// <summary>
/// Fuzzes the restore of a training checkpoint (<see cref="TrainingCheckpoint.TryRestore"/>) into the tiny VAE's network,
/// its Adam optimizer and a generator. An input is five frames: meta.json, the body of weights.bin, optimizer.bin,
/// generator.bin and the body of best.bin (empty: no best.bin). The harness seals them as the writer does (each weights
/// body's digest, checksums.sha256 over the entries) and writes the zip where the checkpoint is read from.
/// </summary>
internal sealed class CheckpointTarget : ITarget
{
    private const string Fingerprint = "fuzz";
    private readonly string _path = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"vae-fuzz-checkpoint-{Environment.ProcessId}.zip");
    private readonly VaeNetwork _network;
    private readonly Adam _optimizer;
    private readonly Generator _generator = new(1);
    private readonly VaeNetworkSpec _spec;
    private readonly MLContext _ml = new(seed: 1);

    public CheckpointTarget()
    {
        using var fitted = _ml.Transforms.VaeEncode(Rows.TinyVae()).Fit(_ml.Data.LoadFromEnumerable(Rows.Make(16)));
        _spec = fitted.Network.Spec;
        _network = new VaeNetwork(_spec);
        _optimizer = optim.Adam(_network.parameters(), lr: 1e-3);
    }

    /// <summary>Checkpoints of real runs of the tiny VAE: without validation, and with it (so with best.bin).</summary>
    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        foreach (double validation in new[] { 0.0, 0.25 })
        {
            string path = Path.Combine(Path.GetTempPath(), $"vae-fuzz-seed-{Guid.NewGuid():N}.zip");
            try
            {
                var options = Rows.TinyVae();
                options.CheckpointPath = path;
                options.ValidationFraction = validation;
                using (_ml.Transforms.VaeEncode(options).Fit(_ml.Data.LoadFromEnumerable(Rows.Make(16)))) { }
                using var zip = ZipFile.OpenRead(path);
                byte[] Entry(string name)
                {
                    if (zip.GetEntry(name) is not { } e) return [];
                    using var s = e.Open();
                    using var m = new MemoryStream();
                    s.CopyTo(m);
                    return m.ToArray();
                }
                var meta = JsonNode.Parse(Entry("meta.json"))!.AsObject();
                meta["Fingerprint"] = Fingerprint;
                var best = Entry("best.bin");
                yield return ($"checkpoint-validation-{validation}", Frames.Join(Encoding.UTF8.GetBytes(meta.ToJsonString()), Entry("weights.bin")[..^32],
                    Entry("optimizer.bin"), Entry("generator.bin"), best.Length > 0 ? best[..^32] : []));
            }
            finally
            {
                File.Delete(path);
            }
        }
    }

    public byte[] Export(ReadOnlySpan<byte> input)
    {
        Write(input);
        return File.ReadAllBytes(_path);
    }

    public string Run(ReadOnlySpan<byte> input)
    {
        Write(input);
        using var state = new TrainingState<VaeEpochMetrics>();
        try
        {
            new TrainingCheckpoint(_path, Fingerprint).TryRestore(_network, _optimizer, _generator, state);
            return $"restored after epoch {state.Epoch}";
        }
        catch (Exception e) when (Outcomes.Problem(e, IsDocumented) is null)
        {
            return $"rejected: {e.Message}";
        }
    }

    private void Write(ReadOnlySpan<byte> input)
    {
        var parts = Frames.Split(input, 5);
        var entries = new List<(string Name, byte[] Bytes)>
        {
            ("meta.json", parts[0]),
            ("weights.bin", [.. parts[1], .. SHA256.HashData(parts[1])]),
            ("optimizer.bin", parts[2]),
            ("generator.bin", parts[3]),
        };
        if (parts[4].Length > 0) entries.Add(("best.bin", [.. parts[4], .. SHA256.HashData(parts[4])]));
        entries.Add((TrainingCheckpoint.Checksums, Encoding.UTF8.GetBytes(string.Concat(entries.Select(e => $"{Convert.ToHexStringLower(SHA256.HashData(e.Bytes))}  {e.Name}\n")))));
        using (var file = File.Create(_path))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
            foreach (var (name, bytes) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
                stream.Write(bytes);
            }
    }

    /// <summary>What TryRestore documents: InvalidDataException naming the checkpoint, or InvalidOperationException for another run's.</summary>
    private static bool IsDocumented(Exception e) =>
        e is InvalidDataException { Message: var m } && m.StartsWith("The checkpoint ", StringComparison.Ordinal)
        || e is InvalidOperationException { Message: var o } && o.Contains("other settings or data", StringComparison.Ordinal);
}
