using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Vae.MLNet.Tests.Support;
using Vae.MLNet.Tests.Support.ModelFiles;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>
/// Training checkpoints under faults, through the public door (<c>Fit</c> with <see cref="VaeOptions.CheckpointPath"/>):
/// damaged, truncated, bit-flipped, grafted and bombed checkpoints are refused with an <see cref="InvalidDataException"/>
/// naming the file and the entry, before the network is touched; an interrupted run resumes to bit-identical weights;
/// cancellation lands within a batch and never leaves a half-written checkpoint.
/// </summary>
[TestClass]
public sealed class CheckpointFaultTests
{
    private const string Checksums = "checksums.sha256";
    private static readonly MLContext Ml = new(seed: 1);
    private static readonly IDataView Data = Ml.Data.LoadFromEnumerable(ModelSamples.Rows(64));

    private static VaeOptions Options(string? path, int epochs = 2, int hidden = 8) => new()
    {
        LatentDimension = 2, HiddenDimensions = [hidden], Epochs = epochs, BatchSize = 16, Seed = 3, CheckpointPath = path, TrainingThreads = 1,
        ValidationFraction = 0.25,
    };

    /// <summary>A checkpoint after 2 epochs of the tiny VAE (with validation, so it holds best.bin too), and the other network's.</summary>
    private static readonly Lazy<(byte[] Checkpoint, byte[] Other)> _checkpoints = new(() => (Write(Options(null)), Write(Options(null, hidden: 9))));

    private static byte[] Checkpoint => _checkpoints.Value.Checkpoint;

    private static byte[] Write(VaeOptions options)
    {
        string path = TempPath();
        try
        {
            options.CheckpointPath = path;
            using (Ml.Transforms.VaeEncode(options).Fit(Data)) { }
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string TempPath() => Path.Combine(Path.GetTempPath(), $"vae-checkpoint-test-{Guid.NewGuid():N}.zip");

    /// <summary>Resumes a third epoch from <paramref name="checkpoint"/>; returns the model's saved weights, or the refusal.</summary>
    private static (byte[]? Weights, Exception? Error) Resume(byte[] checkpoint)
    {
        string path = TempPath();
        File.WriteAllBytes(path, checkpoint);
        try
        {
            using var model = Ml.Transforms.VaeEncode(Options(path, epochs: 3)).Fit(Data);
            return (ModelZip.VaeEntry(ModelSamples.Save(Ml, model, Data.Schema), ModelZip.Weights), null);
        }
        catch (Exception e)
        {
            return (null, e);
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".tmp");
        }
    }

    private static readonly Lazy<byte[]> _resumedIntact = new(() => Resume(Checkpoint).Weights ?? throw new AssertFailedException("the intact checkpoint did not resume"));

    /// <summary>The checkpoint is refused with an InvalidDataException naming it and holding each fragment, no crash type inside.</summary>
    private static InvalidDataException ExpectRefused(byte[] checkpoint, params string[] fragments)
    {
        var (weights, error) = Resume(checkpoint);
        Assert.IsNull(weights, "the damaged checkpoint was resumed");
        Assert.IsInstanceOfType<InvalidDataException>(error, Outcomes.Describe(error!));
        Assert.IsNull(Outcomes.Problem(error, e => e is InvalidDataException), Outcomes.Describe(error));
        StringAssert.StartsWith(error.Message, "The checkpoint ");
        foreach (string fragment in fragments)
            StringAssert.Contains(error.Message, fragment);
        return (InvalidDataException)error;
    }

    /// <summary>Refused cleanly, or resumed exactly as from the intact checkpoint (a flip in zip metadata nobody reads).</summary>
    private static bool RefusedOrIntact(byte[] checkpoint, string what)
    {
        var (weights, error) = Resume(checkpoint);
        if (weights is not null)
        {
            CollectionAssert.AreEqual(_resumedIntact.Value, weights, $"{what}: resumed from a damaged checkpoint to other weights");
            return false;
        }
        Assert.IsInstanceOfType<InvalidDataException>(error, $"{what}: {Outcomes.Describe(error!)}");
        Assert.IsNull(Outcomes.Problem(error, e => e is InvalidDataException), $"{what}: {Outcomes.Describe(error)}");
        return true;
    }

    /// <summary>The checkpoint with its entries changed by <paramref name="edit"/>; checksums.sha256 rewritten unless <paramref name="reseal"/> is false.</summary>
    private static byte[] Edit(byte[] checkpoint, Action<List<(string Name, byte[] Bytes)>> edit, bool reseal = true)
    {
        var entries = ModelZip.Entries(checkpoint);
        edit(entries);
        if (reseal)
        {
            int at = entries.FindIndex(e => e.Name == Checksums);
            var lines = entries.Where(e => e.Name != Checksums).Select(e => $"{Convert.ToHexStringLower(SHA256.HashData(e.Bytes))}  {e.Name}\n");
            if (at >= 0) entries[at] = (Checksums, Encoding.UTF8.GetBytes(string.Concat(lines)));
        }
        return ModelZip.Build(entries);
    }

    private static byte[] Replace(byte[] checkpoint, string name, Func<byte[], byte[]> edit, bool reseal = true) =>
        Edit(checkpoint, list =>
        {
            int i = list.FindIndex(e => e.Name == name);
            Assert.IsGreaterThanOrEqualTo(0, i, $"the checkpoint has no {name}");
            list[i] = (name, edit(list[i].Bytes));
        }, reseal);

    [TestMethod]
    public void TheIntactCheckpointResumesAndHoldsAChecksumForEveryEntry()
    {
        var names = ModelZip.Entries(Checkpoint).Select(e => e.Name).ToArray();
        CollectionAssert.AreEquivalent(new[] { "meta.json", "weights.bin", "optimizer.bin", "generator.bin", "best.bin", Checksums }, names);
        string sums = Encoding.UTF8.GetString(ModelZip.Entries(Checkpoint).Single(e => e.Name == Checksums).Bytes);
        Assert.HasCount(5, sums.Split('\n', StringSplitOptions.RemoveEmptyEntries), sums);
        Assert.IsNotEmpty(_resumedIntact.Value);
    }

    [TestMethod]
    public void TruncatedAndBitFlippedCheckpointsAreRefusedOrResumeExactly()
    {
        int prefixes = 0, flips = 0, refusedFlips = 0;
        for (int length = 0; length < Checkpoint.Length; length += Math.Max(1, Checkpoint.Length / 40), prefixes++)
            ExpectRefused(Checkpoint[..length]);
        for (int at = 0; at < Checkpoint.Length; at += Math.Max(1, Checkpoint.Length / 60), flips++)
        {
            var copy = (byte[])Checkpoint.Clone();
            copy[at] ^= (byte)(1 << (at % 8));
            if (RefusedOrIntact(copy, $"bit {at % 8} of byte {at} flipped")) refusedFlips++;
        }
        Console.WriteLine($"{prefixes} prefixes refused; {flips} bit flips: {refusedFlips} refused, {flips - refusedFlips} harmless (zip metadata)");
        Assert.IsGreaterThan(flips / 2, refusedFlips, "most flips land in the entries and must be refused");
    }

    [TestMethod]
    public void AnEntryDamagedMissingOrWithoutItsChecksumIsRefusedByName()
    {
        foreach (string name in new[] { "meta.json", "weights.bin", "optimizer.bin", "generator.bin", "best.bin" })
        {
            // One byte changed inside the entry, the zip rebuilt around it (so only the checksum can tell).
            var damaged = Replace(Checkpoint, name, b =>
            {
                var copy = (byte[])b.Clone();
                copy[copy.Length / 2] ^= 0x04;
                return copy;
            }, reseal: false);
            Console.WriteLine(ExpectRefused(damaged, name, "checksum mismatch").Message);
            if (name != "best.bin")
                ExpectRefused(Edit(Checkpoint, list => list.RemoveAll(e => e.Name == name)), name, "the entry is missing");
            ExpectRefused(Replace(Checkpoint, Checksums, b => Encoding.UTF8.GetBytes(string.Join('\n', Encoding.UTF8.GetString(b).Split('\n').Where(l => !l.EndsWith("  " + name, StringComparison.Ordinal)))), reseal: false),
                name, "has no checksum");
        }
        ExpectRefused(Edit(Checkpoint, list => list.RemoveAll(e => e.Name == Checksums)), Checksums, "the entry is missing");
        ExpectRefused(Replace(Checkpoint, Checksums, _ => "not a checksum\n"u8.ToArray(), reseal: false), Checksums, "not a checksum line");
        ExpectRefused(Replace(Checkpoint, Checksums, _ => [0xC3, 0x28], reseal: false), Checksums, "UTF-8");
    }

    [TestMethod]
    public void CraftedEntriesWithValidChecksumsAreRefusedBeforeTheNetworkIsTouched()
    {
        byte[] Meta(Action<JsonObject> edit) => Replace(Checkpoint, "meta.json", b =>
        {
            var json = JsonNode.Parse(b)!.AsObject();
            edit(json);
            return Encoding.UTF8.GetBytes(json.ToJsonString());
        });
        ExpectRefused(Meta(m => m["Epoch"] = -1), "meta.json", "-1 epochs");
        ExpectRefused(Meta(m => m["Epoch"] = 7), "meta.json", "history");
        ExpectRefused(Meta(m => m["History"] = null), "meta.json");
        ExpectRefused(Meta(m => m["EpochsWithoutImprovement"] = 9), "meta.json", "without improvement");
        ExpectRefused(Meta(m => m["BestValidation"] = "NaN"), "meta.json", "NaN");
        ExpectRefused(Replace(Checkpoint, "meta.json", _ => "{\"Fingerprint\":"u8.ToArray()), "meta.json");

        // Entries grafted from the checkpoint of another network (a hidden layer of 9, not 8), with valid checksums.
        var other = ModelZip.Entries(_checkpoints.Value.Other);
        foreach (string name in new[] { "weights.bin", "best.bin" })
            ExpectRefused(Replace(Checkpoint, name, _ => other.Single(e => e.Name == name).Bytes), name, "expected Float32 [8");
        foreach (string name in new[] { "weights.bin", "best.bin", "optimizer.bin" })
        {
            var (_, records) = WeightsEdit.Parse(ModelZip.Entries(Checkpoint).Single(e => e.Name == name).Bytes);
            // A declared size beyond the bytes, a dtype changed, an array removed: refused by the data-only reader or the shape check.
            ExpectRefused(Replace(Checkpoint, name, _ => WeightsEdit.Write([.. records.Select((r, i) => i == 1 ? r with { Shape = [1L << 40] } : r)])), name, "bytes remain");
            ExpectRefused(Replace(Checkpoint, name, _ => WeightsEdit.Write([.. records.Select((r, i) => i == 1 ? r with { DType = (byte)(r.DType == 1 ? 2 : 1), Data = new byte[r.Data.Length * (r.DType == 1 ? 2 : 1) / (r.DType == 1 ? 1 : 2)] } : r)])), name, "expected");
            ExpectRefused(Replace(Checkpoint, name, _ => WeightsEdit.Write(records.Skip(1).ToList())), name);
        }
        // Adam's state of the other network: refused by its shapes (it is data-only, in the weights layout, not TorchSharp's
        // save_state_dict, whose reader trusts the counts and shapes it reads).
        ExpectRefused(Replace(Checkpoint, "optimizer.bin", _ => other.Single(e => e.Name == "optimizer.bin").Bytes), "optimizer.bin", "expected Float32 [8");
        ExpectRefused(Replace(Checkpoint, "optimizer.bin", b => b[..(b.Length / 2)]), "optimizer.bin", "checksum mismatch");
        // A generator state of another size, or of the right size but not a valid Mersenne Twister state (found by
        // fuzzing), used to end the process: libtorch's set_state throws through TorchSharp uncaught.
        ExpectRefused(Replace(Checkpoint, "generator.bin", b => b[..^1]), "generator.bin", "the generator's state is");
        ExpectRefused(Replace(Checkpoint, "generator.bin", b =>
        {
            var copy = (byte[])b.Clone();
            BitConverter.GetBytes(9999).CopyTo(copy, 8);
            return copy;
        }), "generator.bin", "not a valid Mersenne Twister state", "left 9999");
    }

    [TestMethod]
    public void ACheckpointEntryThatInflatesBeyondWhatTheNetworkNeedsIsRefusedUninflated()
    {
        string path = TempPath();
        try
        {
            // 512 MB of zeros as optimizer.bin (about 500 KB deflated): refused by its declared size.
            using (var output = File.Create(path))
            using (var zip = new ZipArchive(output, ZipArchiveMode.Create))
            {
                foreach (var (name, bytes) in ModelZip.Entries(Checkpoint).Where(e => e.Name != "optimizer.bin"))
                {
                    using var stream = zip.CreateEntry(name).Open();
                    stream.Write(bytes);
                }
                RawZip.AddZeros(zip, "optimizer.bin", 512L << 20);
            }
            var bomb = File.ReadAllBytes(path);
            var clock = Stopwatch.StartNew();
            long growth = ProcessMemory.PeakGrowth(() => ExpectRefused(bomb, "optimizer.bin", $"declares {512L << 20} bytes"));
            Console.WriteLine($"{bomb.Length:N0}-byte checkpoint with a 512 MB optimizer.bin refused in {clock.ElapsedMilliseconds} ms, peak memory growth {ProcessMemory.Megabytes(growth)}");
            Assert.IsTrue(growth < 48L << 20, $"refusing the bomb grew memory by {ProcessMemory.Megabytes(growth)}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void AnInterruptedFitResumesToBitIdenticalWeights()
    {
        byte[] uninterrupted;
        using (var model = Ml.Transforms.VaeEncode(Options(null, epochs: 4)).Fit(Data))
            uninterrupted = ModelZip.VaeEntry(ModelSamples.Save(Ml, model, Data.Schema), ModelZip.Weights);
        string path = TempPath();
        try
        {
            using var cancellation = new CancellationTokenSource();
            var interrupted = Options(path, epochs: 4);
            interrupted.CancellationToken = cancellation.Token;
            interrupted.Progress = new Progress(m => { if (m.Epoch == 2) cancellation.Cancel(); });
            Assert.ThrowsExactly<OperationCanceledException>(() => Ml.Transforms.VaeEncode(interrupted).Fit(Data));
            using var resumed = Ml.Transforms.VaeEncode(Options(path, epochs: 4)).Fit(Data);
            Assert.HasCount(4, resumed.TrainingHistory);
            // Weights.bin ends with the SHA-256 of every weight's bytes: equal entries are bit-identical weights.
            CollectionAssert.AreEqual(uninterrupted, ModelZip.VaeEntry(ModelSamples.Save(Ml, resumed, Data.Schema), ModelZip.Weights));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void CancellationLandsWithinABatchAndLeavesOnlyWholeCheckpoints()
    {
        // Cancelled when the second epoch reads the middle of the data (a streaming view, so the cancellation is tied to
        // the data, not to a race with the clock): the fit must stop at its next batch, and the checkpoint on disk must
        // be the whole one of epoch 1.
        var rows = ModelSamples.Rows(4_000);
        string path = TempPath();
        try
        {
            using var cancellation = new CancellationTokenSource();
            var source = new CancellingRows(rows, cancelAt: rows.Length + rows.Length / 2, cancellation);
            var options = Options(path, epochs: 1000);
            options.ValidationFraction = 0;
            options.CancellationToken = cancellation.Token;
            Assert.ThrowsExactly<OperationCanceledException>(() => Ml.Transforms.VaeEncode(options).Fit(Ml.Data.LoadFromEnumerable(source)));
            var latency = Stopwatch.GetElapsedTime(source.CancelledAt);
            Console.WriteLine($"Fit ended {latency.TotalMilliseconds:F1} ms after the cancellation, {source.Yielded - source.CancelAt} rows read after it");
            Assert.IsLessThan(TimeSpan.FromSeconds(1), latency, "cancellation waited for more than a batch");
            Assert.IsFalse(File.Exists(path + ".tmp"), "a half-written checkpoint was left");
            // The checkpoint is the whole one of epoch 1: it resumes (here to epoch 2) and says so.
            var resume = Options(path, epochs: 2);
            resume.ValidationFraction = 0;
            var epochs = new List<int>();
            resume.Progress = new Progress(m => epochs.Add(m.Epoch));
            using var model = Ml.Transforms.VaeEncode(resume).Fit(Ml.Data.LoadFromEnumerable(rows));
            CollectionAssert.AreEqual(new[] { 2 }, epochs);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Rows that cancel a token when the row numbered <paramref name="cancelAt"/> (counted over every pass) is read.</summary>
    private sealed class CancellingRows(SampleRow[] rows, long cancelAt, CancellationTokenSource cancellation) : IEnumerable<SampleRow>
    {
        public long CancelAt => cancelAt;

        public long Yielded { get; private set; }

        public long CancelledAt { get; private set; }

        public IEnumerator<SampleRow> GetEnumerator()
        {
            foreach (var row in rows)
            {
                if (++Yielded == cancelAt)
                {
                    CancelledAt = Stopwatch.GetTimestamp();
                    cancellation.Cancel();
                }
                yield return row;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private sealed class Progress(Action<VaeEpochMetrics> report) : IProgress<VaeEpochMetrics>
    {
        public void Report(VaeEpochMetrics value) => report(value);
    }
}
