using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using Vae.MLNet.Networks;
using Vae.MLNet.Persistence;
using static TorchSharp.torch;

namespace Vae.MLNet.Training;

/// <summary>
/// A resumable snapshot of a training run, written between epochs: weights, Adam's moments, the random generator's
/// state and the loop's counters, in one zip written to a temporary file, flushed to disk and then renamed over the old
/// one (a crash mid-save leaves the previous checkpoint whole). Resuming from it continues exactly as the
/// uninterrupted run would have (same seed, same data).
/// </summary>
/// <remarks>
/// A checkpoint is read as untrusted bytes: <c>checksums.sha256</c> holds the SHA-256 of every other entry (a zip's CRC
/// is not checked by System.IO.Compression's reader, so a flipped bit would otherwise reach TorchSharp's optimizer
/// loader); every entry is bounded by what the network needs before it is read, and everything is checked before the
/// network, optimizer or generator is touched.
/// </remarks>
internal sealed class TrainingCheckpoint
{
    private const string Meta = "meta.json", Weights = "weights.bin", Optimizer = "optimizer.bin", Generator = "generator.bin", Best = "best.bin";
    internal const string Checksums = "checksums.sha256";
    private const int MaxMetaBytes = 16 << 20, MaxGeneratorBytes = 1 << 20;
    private static readonly JsonSerializerOptions Json = new()
    {
        IncludeFields = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private readonly string _path;
    private readonly string _fingerprint;

    /// <param name="path">Where the checkpoint lives.</param>
    /// <param name="fingerprint">What the run depends on (network, data size, training options); a checkpoint of another run is refused.</param>
    public TrainingCheckpoint(string path, string fingerprint)
    {
        _path = Path.GetFullPath(path);
        _fingerprint = fingerprint;
    }

    internal sealed record Metadata(string Fingerprint, int Epoch, VaeEpochMetrics[] History, double BestValidation, int EpochsWithoutImprovement, bool Stopped);

    public void Save(VaeNetwork network, Adam optimizer, torch.Generator generator, TrainingState state)
    {
        string temporary = _path + ".tmp";
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var entries = new List<(string Name, byte[] Bytes)>
        {
            (Meta, JsonSerializer.SerializeToUtf8Bytes(new Metadata(_fingerprint, state.Epoch, state.History.ToArray(), state.BestValidation,
                state.EpochsWithoutImprovement, state.Stopped), Json)),
            (Weights, Bytes(s => WeightsFile.Write(s, network.state_dict().Select(kv => (kv.Key, kv.Value))))),
            (Optimizer, OptimizerState(optimizer)),
            (Generator, GeneratorState(generator)),
        };
        if (state.Best is not null) entries.Add((Best, Bytes(s => WeightsFile.Write(s, state.Best.Select(kv => (kv.Key, kv.Value))))));
        entries.Add((Checksums, Encoding.UTF8.GetBytes(string.Concat(entries.Select(e => $"{Convert.ToHexStringLower(SHA256.HashData(e.Bytes))}  {e.Name}\n")))));
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
                foreach (var (name, bytes) in entries)
                {
                    using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                    stream.Write(bytes);
                }
            // On disk before the rename, so a crash (or power loss) after it cannot leave a renamed but empty file.
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, _path, overwrite: true);
    }

    /// <summary>Restores a saved run into network, optimizer and generator; false when there is no checkpoint yet.</summary>
    /// <exception cref="InvalidOperationException">The checkpoint belongs to a run with other settings or data.</exception>
    /// <exception cref="InvalidDataException">The checkpoint is damaged (the message names the file and the entry).</exception>
    public bool TryRestore(VaeNetwork network, Adam optimizer, torch.Generator generator, TrainingState state)
    {
        if (!File.Exists(_path)) return false;
        string entry = "the zip";
        try
        {
            using var zip = ZipFile.OpenRead(_path);
            long maxWeights = VaeModelFile.MaxWeightsBytes(network.Spec);
            entry = Checksums;
            var digests = ReadChecksums(Read(zip, Checksums, 64 * 1024));
            byte[] Checked(string name, long maxBytes)
            {
                entry = name;
                var bytes = Read(zip, name, maxBytes);
                if (!digests.TryGetValue(name, out var digest))
                    throw new InvalidDataException($"{Checksums} has no checksum for it");
                if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(digest))
                    throw new InvalidDataException("checksum mismatch: the entry was damaged after it was written");
                return bytes;
            }
            var metaBytes = Checked(Meta, MaxMetaBytes);
            var meta = JsonSerializer.Deserialize<Metadata>(metaBytes, Json) ?? throw new InvalidDataException("empty metadata");
            if (meta.Fingerprint != _fingerprint)
                throw new InvalidOperationException(
                    $"The checkpoint {_path} was written by a training run with other settings or data; delete it or point CheckpointPath elsewhere.");
            Validate(meta);
            var weights = Arrays(network, Checked(Weights, maxWeights), Weights);
            // Adam's state is two moments per weight, the step counts and its options: bounded by the weights' bound.
            var optimizerBytes = Checked(Optimizer, 3 * maxWeights + (1 << 20));
            var generatorBytes = Checked(Generator, MaxGeneratorBytes);
            // libtorch's set_state aborts the process (an uncaught c10::Error through TorchSharp) on a state of another size.
            int generatorSize = GeneratorState(generator).Length;
            if (generatorBytes.Length != generatorSize)
                throw new InvalidDataException($"holds {generatorBytes.Length} bytes; the generator's state is {generatorSize} bytes");
            var best = zip.GetEntry(Best) is null ? null : Arrays(network, Checked(Best, maxWeights), Best);
            // TorchSharp reads Adam's state with BinaryReader, unchecked: its layout is fixed by the network (a step
            // count, two moments per parameter, the options), so a state of another length is refused before it reads.
            long optimizerSize = OptimizerState(optimizer).Length;
            if (optimizerBytes.Length != optimizerSize)
            {
                entry = Optimizer;
                throw new InvalidDataException($"holds {optimizerBytes.Length} bytes; Adam's state for this network is {optimizerSize} bytes");
            }
            entry = Weights;
            using (var scope = NewDisposeScope()) network.load_state_dict(weights.ToDictionary(a => a.Name, a => a.ToTensor()));
            entry = Optimizer;
            using (var reader = new BinaryReader(new MemoryStream(optimizerBytes))) optimizer.load_state_dict(reader);
            entry = Generator;
            using (var generatorState = torch.tensor(generatorBytes)) generator.set_state(generatorState);
            state.Epoch = meta.Epoch;
            state.History.AddRange(meta.History);
            state.BestValidation = meta.BestValidation;
            state.EpochsWithoutImprovement = meta.EpochsWithoutImprovement;
            state.Stopped = meta.Stopped;
            if (best is not null)
                state.ReplaceBest(best.ToDictionary(a => a.Name, a => a.ToTensor().DetachFromDisposeScope(), StringComparer.Ordinal));
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or ExternalException or ArgumentException or EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"The checkpoint {_path} is damaged and cannot be resumed ({entry}: {e.Message}); delete it to start over.", e);
        }
    }

    private static byte[] OptimizerState(Adam optimizer) => Bytes(s =>
    {
        using var writer = new BinaryWriter(s, Encoding.UTF8, leaveOpen: true);
        optimizer.save_state_dict(writer);
    });

    /// <summary>The generator's state as bytes (libtorch's CPU generator: a fixed-size byte tensor).</summary>
    private static byte[] GeneratorState(torch.Generator generator)
    {
        using var generatorState = generator.get_state();
        return generatorState.data<byte>().ToArray();
    }

    private static void Validate(Metadata meta)
    {
        if (meta.Epoch < 0) throw new InvalidDataException($"{Meta} says {meta.Epoch} epochs were done");
        if (meta.History.Length != meta.Epoch || meta.History.Any(h => h is null))
            throw new InvalidDataException($"{Meta} holds {meta.History.Length} epochs of history (or nulls) for {meta.Epoch} epochs done");
        if (meta.EpochsWithoutImprovement < 0 || meta.EpochsWithoutImprovement > meta.Epoch)
            throw new InvalidDataException($"{Meta} says {meta.EpochsWithoutImprovement} epochs without improvement after {meta.Epoch}");
        if (double.IsNaN(meta.BestValidation)) throw new InvalidDataException($"{Meta} holds a best validation loss of NaN");
    }

    /// <summary>The arrays of a weights entry, each checked against the network's own (name, shape, dtype), none missing or extra.</summary>
    private IReadOnlyList<WeightsFile.Array> Arrays(VaeNetwork network, byte[] bytes, string entry)
    {
        var arrays = WeightsFile.Read(bytes, $"{_path}, {entry}");
        var byName = arrays.ToDictionary(a => a.Name, StringComparer.Ordinal);
        var expected = network.state_dict();
        foreach (var (name, tensor) in expected)
        {
            if (!byName.TryGetValue(name, out var array)) throw new InvalidDataException($"no array '{name}'");
            if (!array.Shape.SequenceEqual(tensor.shape) || array.DType != tensor.dtype)
                throw new InvalidDataException($"array '{name}' is {array.DType} [{string.Join(", ", array.Shape)}], expected {tensor.dtype} [{string.Join(", ", tensor.shape)}]");
        }
        if (arrays.Count != expected.Count)
            throw new InvalidDataException($"arrays the network does not have: {string.Join(", ", byName.Keys.Except(expected.Keys))}");
        return arrays;
    }

    /// <summary>Parses <c>checksums.sha256</c> (sha256sum's format: 64 hex digits, two spaces, the entry name).</summary>
    private static Dictionary<string, byte[]> ReadChecksums(byte[] bytes)
    {
        var digests = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException("not UTF-8 text", e);
        }
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length < 67 || line[64] != ' ' || line[65] != ' ' || line.AsSpan(0, 64).ContainsAnyExcept("0123456789abcdef"))
                throw new InvalidDataException($"not a checksum line: '{(line.Length > 80 ? line[..80] + "…" : line)}'");
            if (!digests.TryAdd(line[66..], Convert.FromHexString(line.AsSpan(0, 64))))
                throw new InvalidDataException($"two checksums for '{line[66..]}'");
        }
        return digests;
    }

    private static byte[] Bytes(Action<Stream> write)
    {
        using var buffer = new MemoryStream();
        write(buffer);
        return buffer.ToArray();
    }

    private static byte[] Read(ZipArchive zip, string name, long maxBytes)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException("the entry is missing");
        // The declared size bounds what System.IO.Compression inflates, so a bomb is refused before it is inflated.
        if (entry.Length > maxBytes) throw new InvalidDataException($"declares {entry.Length} bytes, more than the {maxBytes} it can need");
        using var stream = entry.Open();
        return WeightsFile.ReadAll(stream, maxBytes, name);
    }
}
