using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using Vae.MLNet.Networks;
using Vae.MLNet.Persistence;
using static TorchSharp.torch;

namespace Vae.MLNet.Training;

/// <summary>
/// A resumable snapshot of a training run, written between epochs: weights, Adam's moments, the random generator's
/// state and the loop's counters, in one zip written to a temporary file and then renamed over the old one. Resuming
/// from it continues exactly as the uninterrupted run would have (same seed, same data).
/// </summary>
internal sealed class TrainingCheckpoint
{
    private const string Meta = "meta.json", Weights = "weights.bin", Optimizer = "optimizer.bin", Generator = "generator.bin", Best = "best.bin";
    private static readonly JsonSerializerOptions Json = new() { IncludeFields = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private readonly string _path;
    private readonly string _fingerprint;

    /// <param name="path">Where the checkpoint lives.</param>
    /// <param name="fingerprint">What the run depends on (network, data size, training options); a checkpoint of another run is refused.</param>
    public TrainingCheckpoint(string path, string fingerprint)
    {
        _path = Path.GetFullPath(path);
        _fingerprint = fingerprint;
    }

    private sealed record Metadata(string Fingerprint, int Epoch, VaeEpochMetrics[] History, double BestValidation, int EpochsWithoutImprovement, bool Stopped);

    public void Save(VaeNetwork network, Adam optimizer, torch.Generator generator, TrainingState state)
    {
        string temporary = _path + ".tmp";
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        using (var file = File.Create(temporary))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            Write(zip, Meta, s => JsonSerializer.Serialize(s, new Metadata(_fingerprint, state.Epoch, state.History.ToArray(), state.BestValidation,
                state.EpochsWithoutImprovement, state.Stopped), Json));
            Write(zip, Weights, s => WeightsFile.Write(s, network.state_dict().Select(kv => (kv.Key, kv.Value))));
            Write(zip, Optimizer, s =>
            {
                using var writer = new BinaryWriter(s, System.Text.Encoding.UTF8, leaveOpen: true);
                optimizer.save_state_dict(writer);
            });
            Write(zip, Generator, s =>
            {
                using var generatorState = generator.get_state();
                s.Write(generatorState.data<byte>().ToArray());
            });
            if (state.Best is not null) Write(zip, Best, s => WeightsFile.Write(s, state.Best.Select(kv => (kv.Key, kv.Value))));
        }
        File.Move(temporary, _path, overwrite: true);
    }

    /// <summary>Restores a saved run into network, optimizer and generator; false when there is no checkpoint yet.</summary>
    /// <exception cref="InvalidOperationException">The checkpoint belongs to a run with other settings or data.</exception>
    /// <exception cref="InvalidDataException">The checkpoint is damaged.</exception>
    public bool TryRestore(VaeNetwork network, Adam optimizer, torch.Generator generator, TrainingState state)
    {
        if (!File.Exists(_path)) return false;
        try
        {
            using var zip = ZipFile.OpenRead(_path);
            var meta = JsonSerializer.Deserialize<Metadata>(Read(zip, Meta), Json) ?? throw new InvalidDataException("empty metadata");
            if (meta.Fingerprint != _fingerprint)
                throw new InvalidOperationException(
                    $"The checkpoint {_path} was written by a training run with other settings or data; delete it or point CheckpointPath elsewhere.");
            using (var scope = NewDisposeScope()) network.load_state_dict(ReadWeights(zip, Weights));
            using (var reader = new BinaryReader(new MemoryStream(Read(zip, Optimizer)))) optimizer.load_state_dict(reader);
            using (var generatorState = torch.tensor(Read(zip, Generator))) generator.set_state(generatorState);
            state.Epoch = meta.Epoch;
            state.History.AddRange(meta.History);
            state.BestValidation = meta.BestValidation;
            state.EpochsWithoutImprovement = meta.EpochsWithoutImprovement;
            state.Stopped = meta.Stopped;
            if (zip.GetEntry(Best) is not null)
                state.ReplaceBest(ReadWeights(zip, Best));
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or ExternalException or ArgumentException or EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"The checkpoint {_path} is damaged and cannot be resumed ({e.Message}); delete it to start over.", e);
        }
    }

    /// <summary>Weights as tensors outside any dispose scope (the caller owns them).</summary>
    private Dictionary<string, Tensor> ReadWeights(ZipArchive zip, string entry) =>
        WeightsFile.Read(Read(zip, entry), $"{_path}, {entry}").ToDictionary(a => a.Name, a => a.ToTensor().DetachFromDisposeScope(), StringComparer.Ordinal);

    private static void Write(ZipArchive zip, string name, Action<Stream> write)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        write(stream);
    }

    private static byte[] Read(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"entry '{name}' is missing");
        // Our own file, but still bounded: no entry is larger than the network and optimizer could need.
        if (entry.Length > 1L << 31) throw new InvalidDataException($"entry '{name}' declares {entry.Length} bytes");
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
