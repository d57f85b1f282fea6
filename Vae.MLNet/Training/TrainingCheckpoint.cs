using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
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
    private readonly DataFingerprint? _data;

    /// <param name="path">Where the checkpoint lives.</param>
    /// <param name="fingerprint">What the run depends on (network, training options); a checkpoint of another run is refused.</param>
    /// <param name="data">What the run's data is (columns, row count, a sample of rows); a checkpoint of other data is refused.</param>
    public TrainingCheckpoint(string path, string fingerprint, DataFingerprint? data = null)
    {
        _path = Path.GetFullPath(path);
        _fingerprint = fingerprint;
        _data = data;
    }

    /// <summary>What <c>meta.json</c> holds; the history is the model's epoch records (VaeEpochMetrics, AutoencoderEpochMetrics).</summary>
    internal sealed record Metadata<TMetrics>(string Fingerprint, int Epoch, TMetrics[] History, double BestValidation, int EpochsWithoutImprovement, bool Stopped,
        DataFingerprint? Data = null);

    /// <summary>Writes the run's state after an epoch: any network, Adam, the generator and the loop's counters.</summary>
    public void Save<TMetrics>(nn.Module network, Adam optimizer, torch.Generator generator, TrainingState<TMetrics> state)
    {
        string temporary = _path + ".tmp";
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var entries = new List<(string Name, byte[] Bytes)>
        {
            (Meta, JsonSerializer.SerializeToUtf8Bytes(new Metadata<TMetrics>(_fingerprint, state.Epoch, state.History.ToArray(), state.BestValidation,
                state.EpochsWithoutImprovement, state.Stopped, _data), Json)),
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
    public bool TryRestore<TMetrics>(nn.Module network, Adam optimizer, torch.Generator generator, TrainingState<TMetrics> state)
    {
        if (!File.Exists(_path)) return false;
        string entry = "the zip";
        try
        {
            using var zip = ZipFile.OpenRead(_path);
            long maxWeights = MaxWeightsBytes(network);
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
            var meta = JsonSerializer.Deserialize<Metadata<TMetrics>>(metaBytes, Json) ?? throw new InvalidDataException("empty metadata");
            // A checkpoint written before data was fingerprinted has none: it cannot show it is of this data.
            if (meta.Fingerprint != _fingerprint || (_data is not null && (meta.Data is null || !_data.Agrees(meta.Data))))
                throw new InvalidOperationException(
                    $"The checkpoint {_path} was written by a training run with other settings or data; delete it or point CheckpointPath elsewhere.");
            Validate(meta);
            var weights = Arrays(NetworkArrays(network), Checked(Weights, maxWeights), Weights);
            // Adam's state is two moments (three with AMSGrad) per weight and a step count per parameter.
            var optimizerArrays = Arrays(ExpectedOptimizerArrays(optimizer), Checked(Optimizer, 3 * maxWeights + (1 << 20)), Optimizer);
            if (optimizerArrays.Single(a => a.Name == "steps").Longs!.Any(step => step < 0))
                throw new InvalidDataException("a negative step count");
            var generatorBytes = Checked(Generator, MaxGeneratorBytes);
            // libtorch's set_state aborts the process (an uncaught c10::Error through TorchSharp) on a state of another size.
            int generatorSize = GeneratorState(generator).Length;
            if (generatorBytes.Length != generatorSize)
                throw new InvalidDataException($"holds {generatorBytes.Length} bytes; the generator's state is {generatorSize} bytes");
            CheckMersenneTwisterState(generatorBytes);
            var best = zip.GetEntry(Best) is null ? null : Arrays(NetworkArrays(network), Checked(Best, maxWeights), Best);
            entry = Weights;
            using (var scope = NewDisposeScope()) network.load_state_dict(weights.ToDictionary(a => a.Name, a => a.ToTensor()));
            entry = Optimizer;
            RestoreOptimizer(optimizer, optimizerArrays);
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

    /// <summary>
    /// Adam's state in the data-only weights layout (not TorchSharp's save_state_dict, whose reader trusts the counts,
    /// codes and shapes it reads): per parameter i, "{i}.exp_avg" and "{i}.exp_avg_sq" (and "{i}.max_exp_avg_sq" with
    /// AMSGrad), and "steps", the step count of each. The options (learning rate, betas) are fixed by the run's
    /// fingerprint and never change during a fit, so they are not stored.
    /// </summary>
    private static byte[] OptimizerState(Adam optimizer)
    {
        var states = AdamStates(optimizer);
        using var steps = torch.tensor(states.Select(s => s.step).ToArray());
        var arrays = new List<(string, Tensor)> { ("steps", steps) };
        for (int i = 0; i < states.Count; i++)
        {
            arrays.Add(($"{i}.exp_avg", states[i].exp_avg));
            arrays.Add(($"{i}.exp_avg_sq", states[i].exp_avg_sq));
            if (states[i].max_exp_avg_sq is { } max) arrays.Add(($"{i}.max_exp_avg_sq", max));
        }
        return Bytes(s => WeightsFile.Write(s, arrays));
    }

    private static List<Adam.State> AdamStates(Adam optimizer) =>
        optimizer.state_dict().State.Select(s => s as Adam.State ?? throw new InvalidOperationException($"Adam holds a state of type {s.GetType().Name}.")).ToList();

    /// <summary>What each array of the optimizer entry must be: the live state's names, shapes and dtypes.</summary>
    private static IEnumerable<(string Name, long[] Shape, ScalarType DType)> ExpectedOptimizerArrays(Adam optimizer)
    {
        var states = AdamStates(optimizer);
        yield return ("steps", [states.Count], ScalarType.Int64);
        for (int i = 0; i < states.Count; i++)
        {
            yield return ($"{i}.exp_avg", states[i].exp_avg.shape, states[i].exp_avg.dtype);
            yield return ($"{i}.exp_avg_sq", states[i].exp_avg_sq.shape, states[i].exp_avg_sq.dtype);
            if (states[i].max_exp_avg_sq is { } max) yield return ($"{i}.max_exp_avg_sq", max.shape, max.dtype);
        }
    }

    /// <summary>Copies checked arrays into Adam's live state tensors and step counts.</summary>
    private static void RestoreOptimizer(Adam optimizer, IReadOnlyList<WeightsFile.Array> arrays)
    {
        var byName = arrays.ToDictionary(a => a.Name, StringComparer.Ordinal);
        var states = AdamStates(optimizer);
        var steps = byName["steps"].Longs!;
        using var noGrad = torch.no_grad();
        using var scope = NewDisposeScope();
        for (int i = 0; i < states.Count; i++)
        {
            states[i].step = steps[i];
            states[i].exp_avg.copy_(byName[$"{i}.exp_avg"].ToTensor());
            states[i].exp_avg_sq.copy_(byName[$"{i}.exp_avg_sq"].ToTensor());
            if (states[i].max_exp_avg_sq is { } max) max.copy_(byName[$"{i}.max_exp_avg_sq"].ToTensor());
        }
    }

    /// <summary>The generator's state as bytes (libtorch's CPU generator: a fixed-size byte tensor).</summary>
    private static byte[] GeneratorState(torch.Generator generator)
    {
        using var generatorState = generator.get_state();
        return generatorState.data<byte>().ToArray();
    }

    /// <summary>
    /// The checks libtorch's <c>CPUGeneratorImpl::set_state</c> makes (<c>mt19937::is_valid</c>), made first: a failed
    /// TORCH_CHECK there aborts the process, since TorchSharp's set_state does not catch it (found by fuzzing). The
    /// state is CPUGeneratorImplStateLegacy (u64 seed, i32 left, i32 seeded, u64 next, u64 state[624], ...) followed by
    /// the float normal sample; the engine is valid when seeded, 1 &lt;= left &lt;= 624, and (u32)next &lt;= 624.
    /// </summary>
    private static void CheckMersenneTwisterState(ReadOnlySpan<byte> state)
    {
        const int N = 624;
        int left = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(state[8..]);
        int seeded = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(state[12..]);
        uint next = (uint)System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(state[16..]);
        if (seeded == 0 || left is < 1 or > N || next > N)
            throw new InvalidDataException($"not a valid Mersenne Twister state (seeded {seeded}, left {left}, next {next}; expected seeded, left 1 to {N}, next at most {N})");
    }

    private static void Validate<TMetrics>(Metadata<TMetrics> meta)
    {
        if (meta.Epoch < 0) throw new InvalidDataException($"{Meta} says {meta.Epoch} epochs were done");
        if (meta.History.Length != meta.Epoch || meta.History.Any(h => h is null))
            throw new InvalidDataException($"{Meta} holds {meta.History.Length} epochs of history (or nulls) for {meta.Epoch} epochs done");
        if (meta.EpochsWithoutImprovement < 0 || meta.EpochsWithoutImprovement > meta.Epoch)
            throw new InvalidDataException($"{Meta} says {meta.EpochsWithoutImprovement} epochs without improvement after {meta.Epoch}");
        if (double.IsNaN(meta.BestValidation)) throw new InvalidDataException($"{Meta} holds a best validation loss of NaN");
    }

    /// <summary>The most bytes a weights-layout entry of <paramref name="network"/>'s state can take: bounds what is inflated.</summary>
    private static long MaxWeightsBytes(nn.Module network)
    {
        long values = 0, arrays = 0;
        foreach (var (_, tensor) in network.state_dict())
        {
            values += tensor.numel();
            arrays++;
        }
        return WeightsFile.MaxBytes(values, arrays);
    }

    private static IEnumerable<(string Name, long[] Shape, ScalarType DType)> NetworkArrays(nn.Module network) =>
        network.state_dict().Select(kv => (kv.Key, kv.Value.shape, kv.Value.dtype));

    /// <summary>The arrays of a weights-layout entry, each checked against what is expected (name, shape, dtype), none missing or extra.</summary>
    private IReadOnlyList<WeightsFile.Array> Arrays(IEnumerable<(string Name, long[] Shape, ScalarType DType)> expected, byte[] bytes, string entry)
    {
        var arrays = WeightsFile.Read(bytes, $"{_path}, {entry}");
        var byName = arrays.ToDictionary(a => a.Name, StringComparer.Ordinal);
        int count = 0;
        foreach (var (name, shape, dtype) in expected)
        {
            count++;
            if (!byName.TryGetValue(name, out var array)) throw new InvalidDataException($"no array '{name}'");
            if (!array.Shape.SequenceEqual(shape) || array.DType != dtype)
                throw new InvalidDataException($"array '{name}' is {array.DType} [{string.Join(", ", array.Shape)}], expected {dtype} [{string.Join(", ", shape)}]");
            if (array.FirstNonFinite() is var at and >= 0)
                throw new InvalidDataException($"array '{name}' holds a non-finite value ({array.Singles![at]}) at index {at}");
        }
        if (arrays.Count != count)
            throw new InvalidDataException($"{arrays.Count} arrays where {count} were expected");
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
