using System.IO.Compression;
using System.Text.Json;
using Vae.MLNet.Networks;
using Vae.MLNet.Torch;
using static Vae.MLNet.Torch.torch;

namespace Vae.MLNet.Training;

/// <summary>
/// A resumable snapshot of a training run, written between epochs: weights, Adam's moments, the random generator's
/// state and the loop's counters, in one zip written to a temporary file and then renamed over the old one. Resuming
/// from it continues exactly as the uninterrupted run would have (same seed, same data).
/// </summary>
internal sealed class TrainingCheckpoint
{
    private const string Meta = "meta.json", Weights = "weights.vaet", Optimizer = "optimizer.bin", Best = "best.vaet";
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

    public void Save(VaeNetwork network, optim.Optimizer optimizer, IReadOnlyList<torch.Generator> generators, TrainingState state)
    {
        string temporary = _path + ".tmp";
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        using (var file = File.Create(temporary))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            Write(zip, Meta, s => JsonSerializer.Serialize(s, new Metadata(_fingerprint, state.Epoch, state.History.ToArray(), state.BestValidation,
                state.EpochsWithoutImprovement, state.Stopped), Json));
            Write(zip, Weights, s => TensorSerializer.Write(s, network.state_dict()));
            Write(zip, Optimizer, s => s.Write(optimizer.state_dict()));
            for (int i = 0; i < generators.Count; i++) Write(zip, GeneratorEntry(i), s => s.Write(generators[i].get_state()));
            if (state.Best is not null) Write(zip, Best, s => TensorSerializer.Write(s, state.Best));
        }
        File.Move(temporary, _path, overwrite: true);
    }

    /// <summary>Restores a saved run into network, optimizer and generator; false when there is no checkpoint yet.</summary>
    /// <exception cref="InvalidOperationException">The checkpoint belongs to a run with other settings or data.</exception>
    /// <exception cref="InvalidDataException">The checkpoint is damaged.</exception>
    public bool TryRestore(VaeNetwork network, optim.Optimizer optimizer, IReadOnlyList<torch.Generator> generators, TrainingState state)
    {
        if (!File.Exists(_path)) return false;
        try
        {
            using var zip = ZipFile.OpenRead(_path);
            var meta = JsonSerializer.Deserialize<Metadata>(Read(zip, Meta), Json) ?? throw new InvalidDataException("empty metadata");
            if (meta.Fingerprint != _fingerprint)
                throw new InvalidOperationException(
                    $"The checkpoint {_path} was written by a training run with other settings or data; delete it or point CheckpointPath elsewhere.");
            using (var scope = NewDisposeScope()) network.load_state_dict(TensorSerializer.Read(new MemoryStream(Read(zip, Weights))));
            optimizer.load_state_dict(Read(zip, Optimizer));
            for (int i = 0; i < generators.Count; i++) generators[i].set_state(Read(zip, GeneratorEntry(i)));
            state.Epoch = meta.Epoch;
            state.History.AddRange(meta.History);
            state.BestValidation = meta.BestValidation;
            state.EpochsWithoutImprovement = meta.EpochsWithoutImprovement;
            state.Stopped = meta.Stopped;
            if (zip.GetEntry(Best) is not null)
                state.ReplaceBest(TensorSerializer.Read(new MemoryStream(Read(zip, Best))).ToDictionary(kv => kv.Key, kv => kv.Value.DetachFromDisposeScope()));
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or TorchException or ArgumentException)
        {
            throw new InvalidDataException($"The checkpoint {_path} is damaged and cannot be resumed ({e.Message}); delete it to start over.", e);
        }
    }

    private static string GeneratorEntry(int shard) => $"generator{shard}.bin";

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
