using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Microsoft.ML;
using Vae.MLNet.Tests.Support;
using Vae.MLNet.Tests.Support.ModelFiles;

namespace Vae.MLNet.Tests.Unit.Persistence;

/// <summary>
/// Hand-made hostile VAE entries inside real ML.NET model zips: edited shapes, dtypes, counts and versions, sizes that
/// lie, missing, duplicated and grafted entries, bombs. Each is refused by the VAE's loader with an
/// <see cref="InvalidDataException"/> naming the model folder and the entry (ML.NET hands it over wrapped in a
/// TargetInvocationException), before anything the file declares is allocated.
/// </summary>
[TestClass]
public sealed class VaeModelStructureTests
{
    private static readonly ModelSample Vae = ModelSamples.Vae;

    [TestMethod]
    public void AWeightEditedToAnotherShapeOrDTypeIsRejectedWithBoth()
    {
        const string name = "encoder.layers.0.weight";
        var (_, records) = WeightsEdit.Parse(ModelZip.VaeEntry(Vae.Bytes, ModelZip.Weights));
        var target = records.FirstOrDefault(r => r.Name == name) ?? records.First(r => r.Shape.Length == 2);
        var (rows, cols) = (target.Shape[0], target.Shape[1]);
        string expectedShape = $"expected [{rows}, {cols}]";
        var edits = new (string What, Func<WeightRecord, WeightRecord> Edit, string Expected)[]
        {
            ("same size, other shape", r => r with { Shape = [cols, rows] }, rows == cols ? "" : $"has shape [{cols}, {rows}], {expectedShape}"),
            ("flattened", r => r with { Shape = [rows * cols] }, $"has shape [{rows * cols}], {expectedShape}"),
            ("extra axis", r => r with { Shape = [rows, cols, 1] }, $"has shape [{rows}, {cols}, 1], {expectedShape}"),
            ("larger, with its data", r => r with { Shape = [rows, cols + 1], Data = new byte[rows * (cols + 1) * 4] }, $"has shape [{rows}, {cols + 1}], {expectedShape}"),
            ("scalar", r => r with { Shape = [], Data = new byte[4] }, $"has shape [], {expectedShape}"),
            ("int64", r => r with { DType = 2, Data = new byte[rows * cols * 8] }, "is Int64, but Float32 was expected"),
            ("unknown dtype", r => r with { DType = 9 }, "dtype code 9"),
            ("renamed", r => r with { Name = target.Name + "_" }, $"has no array '{target.Name}'"),
        };
        foreach (var (what, edit, expected) in edits.Where(e => e.Expected.Length > 0))
        {
            var bytes = WeightsEdit.EditRecords(Vae.Bytes, list =>
            {
                int i = list.FindIndex(r => r.Name == target.Name);
                list[i] = edit(list[i]);
            });
            var e = ModelLoadCheck.ExpectRejected(bytes, Vae.Data, "the VAE in the model (TransformerChain)", expected);
            Console.WriteLine($"{what}: {e.Message}");
        }
        var extra = WeightsEdit.EditRecords(Vae.Bytes, list => list.Add(list[0] with { Name = "decoder.9.weight" }));
        // The header's count no longer matches, which is checked first; with the count repaired, the name is.
        ModelLoadCheck.ExpectRejected(extra, Vae.Data, "Weights.bin holds", "declares");
        var repaired = WeightsEdit.EditHeader(extra, h => BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(WeightsEdit.ModelStreamOffset(h)), records.Count + 1));
        ModelLoadCheck.ExpectRejected(repaired, Vae.Data, "arrays its network does not: decoder.9.weight");
        var respec = ModelZip.EditSettings(Vae.Bytes, c => ModelZip.Set(c, "Spec/LatentDimension", 3));
        ModelLoadCheck.ExpectRejected(respec, Vae.Data, "expected [3, ");
    }

    [TestMethod]
    public void AVaeJsonThatDoesNotMatchItsDigestInTheHeaderIsRejectedAsCorrupt()
    {
        // One changed character that still parses and passes every check (a learning rate), with the header's digest
        // left as written: ML.NET does not check the zip's CRC, so only the digest can tell.
        var edited = ModelZip.EditVaeEntry(Vae.Bytes, ModelZip.Settings, bytes =>
        {
            string json = Encoding.UTF8.GetString(bytes);
            int at = json.IndexOf("\"RefinementLearningRate\": ", StringComparison.Ordinal);
            Assert.IsGreaterThanOrEqualTo(0, at, json);
            int digit = json.IndexOfAny("123456789".ToCharArray(), at + 26);
            var chars = json.ToCharArray();
            chars[digit] = chars[digit] == '9' ? '8' : (char)(chars[digit] + 1);
            return Encoding.UTF8.GetBytes(chars);
        }, reseal: false);
        ModelLoadCheck.ExpectRejected(edited, Vae.Data, "Vae.json", "checksum mismatch");
    }

    [TestMethod]
    public void DeclaredSizesLargerThanTheBytesPresentAreRejectedBeforeAllocating()
    {
        long growth = ProcessMemory.PeakGrowth(() =>
        {
            foreach (long dimension in new[] { 17L, 1L << 20, int.MaxValue })
            {
                var bytes = WeightsEdit.EditRecords(Vae.Bytes, list => list[^1] = list[^1] with { Shape = [dimension, 4] });
                ModelLoadCheck.ExpectRejected(bytes, Vae.Data, "Weights.bin", $"declares shape [{dimension}, 4]", "bytes remain");
            }
            var huge = WeightsEdit.EditRecords(Vae.Bytes, list => list[^1] = list[^1] with { Shape = [int.MaxValue, int.MaxValue, int.MaxValue] });
            ModelLoadCheck.ExpectRejected(huge, Vae.Data, "Weights.bin", "bytes remain");
            ModelLoadCheck.ExpectRejected(WeightsEdit.EditRecords(Vae.Bytes, list => list[0] = list[0] with { Shape = [4, -5] }), Vae.Data, "negative dimension in shape [4, -5]");
            ModelLoadCheck.ExpectRejected(WeightsEdit.EditRecords(Vae.Bytes, list => list[0] = list[0] with { Shape = new long[9] }), Vae.Data, "rank 9");

            // Counts that lie: in Weights.bin (more arrays than bytes), and in the header (more arrays than Weights.bin holds).
            var (_, records) = WeightsEdit.Parse(ModelZip.VaeEntry(Vae.Bytes, ModelZip.Weights));
            ModelLoadCheck.ExpectRejected(ModelZip.EditVaeEntry(Vae.Bytes, ModelZip.Weights, _ => WeightsEdit.Write(records, count: uint.MaxValue)), Vae.Data, $"declares {uint.MaxValue} arrays");
            ModelLoadCheck.ExpectRejected(ModelZip.EditVaeEntry(Vae.Bytes, ModelZip.Weights, _ => WeightsEdit.Write(records, count: (uint)records.Count + 1)), Vae.Data, "truncated");
            ModelLoadCheck.ExpectRejected(ModelZip.EditVaeEntry(Vae.Bytes, ModelZip.Weights, _ => WeightsEdit.Write(records, count: (uint)records.Count - 1)), Vae.Data, "bytes follow the last array");
            foreach (int declared in new[] { records.Count - 1, records.Count + 1, int.MaxValue, -1 })
            {
                var header = WeightsEdit.EditHeader(Vae.Bytes, h => BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(WeightsEdit.ModelStreamOffset(h)), declared));
                ModelLoadCheck.ExpectRejected(header, Vae.Data, "Model.key", "declares", declared.ToString());
            }

            // The zip's headers declare more (compressed and uncompressed) bytes than the file has.
            string weights = ModelZip.VaeFolder(Vae.Bytes) + ModelZip.Weights;
            var lying = RawZip.PatchUncompressedSize(Vae.Bytes, weights, 1u << 30, compressedSize: 1u << 30);
            ExpectCleanOutcome(lying);
            ExpectCleanOutcome(RawZip.PatchUncompressedSize(Vae.Bytes, weights, 1u << 30));
            ExpectCleanOutcome(RawZip.PatchUncompressedSize(Vae.Bytes, weights, 3));
        });
        Console.WriteLine($"peak memory growth while rejecting lying sizes: {ProcessMemory.Megabytes(growth)}");
        Assert.IsTrue(growth < 64L << 20, $"rejecting lying sizes grew memory by {ProcessMemory.Megabytes(growth)}");
    }

    private static void ExpectCleanRejection(byte[] bytes)
    {
        var outcome = ModelLoadCheck.Run(bytes, Vae.Data);
        Assert.IsFalse(outcome.Loaded, "the model loaded");
        ExpectCleanOutcome(bytes);
    }

    /// <summary>Rejected cleanly, or (System.IO.Compression reads some lying zip headers past) loaded intact.</summary>
    private static void ExpectCleanOutcome(byte[] bytes)
    {
        var outcome = ModelLoadCheck.Run(bytes, Vae.Data);
        Assert.IsNull(outcome.Problem, $"{outcome.Problem}: {(outcome.Error is { } e ? Outcomes.Describe(e) : "")}");
        if (outcome.Loaded)
            Assert.AreEqual(ModelLoadCheck.Run(Vae.Bytes, Vae.Data).Output, outcome.Output, "a lying zip header loaded a different model");
        Console.WriteLine($"  {(outcome.Loaded ? "loaded intact" : "rejected: " + Outcomes.Describe(outcome.Error!))}");
    }

    [TestMethod]
    public void FormatVersionsAndSignaturesOtherThanOursAreRejectedNamingThem()
    {
        var (_, records) = WeightsEdit.Parse(ModelZip.VaeEntry(Vae.Bytes, ModelZip.Weights));
        foreach (uint version in new uint[] { 0, 1, 3, uint.MaxValue })
            ModelLoadCheck.ExpectRejected(ModelZip.EditVaeEntry(Vae.Bytes, ModelZip.Weights, _ => WeightsEdit.Write(records, version: version)), Vae.Data,
                "Weights.bin", $"weights format version {version} is not supported");
        ModelLoadCheck.ExpectRejected(ModelZip.EditVaeEntry(Vae.Bytes, ModelZip.Weights, _ => WeightsEdit.Write(records, magic: "VMLA")), Vae.Data, "Weights.bin", "not a weights file");

        // One weight changed, the digest left as it was: what a flipped bit inside a deflated entry looks like once inflated.
        var altered = records.Select((r, i) => i == 0 ? r with { Data = r.Data.Select(b => (byte)(b ^ 0x10)).ToArray() } : r).ToList();
        var stale = WeightsEdit.Write(altered, digest: false).Concat(ModelZip.VaeEntry(Vae.Bytes, ModelZip.Weights)[^32..]).ToArray();
        ModelLoadCheck.ExpectRejected(ModelZip.EditVaeEntry(Vae.Bytes, ModelZip.Weights, _ => stale), Vae.Data, "Weights.bin", "checksum mismatch");

        // ML.NET's versioned header of the VAE: a newer file (readable only by a newer library), a file older than we read back.
        foreach (var (written, readable) in new[] { (0x00010002u, 0x00010002u), (0x00010000u, 0x00010000u), (0x00020001u, 0x00020001u) })
        {
            var bytes = WeightsEdit.EditHeader(Vae.Bytes, h =>
            {
                int at = WeightsEdit.SignatureOffset(h);
                BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(at + 8), written);
                BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(at + 12), readable);
            });
            var e = ModelLoadCheck.ExpectRejected(bytes, Vae.Data, "Model.key", $"version 0x{written:X8}", "0x00010001");
            Console.WriteLine(e.Message);
        }
        var renamed = WeightsEdit.EditHeader(Vae.Bytes, h => Encoding.ASCII.GetBytes("VAETRANZ").CopyTo(h, WeightsEdit.SignatureOffset(h)));
        ModelLoadCheck.ExpectRejected(renamed, Vae.Data, "Model.key", "'VAETRANZ'");
    }

    [TestMethod]
    public void MissingAndDuplicatedEntriesAreRejected()
    {
        string folder = ModelZip.VaeFolder(Vae.Bytes);
        var entries = ModelZip.Entries(Vae.Bytes);
        foreach (string entry in new[] { ModelZip.Settings, ModelZip.Weights })
            ModelLoadCheck.ExpectRejected(ModelZip.Build(entries.Where(e => e.Name != folder + entry)), Vae.Data, $"the entry {entry} is missing");
        // Without its Model.key, ML.NET finds no transformer in the folder: its own rejection.
        ExpectCleanRejection(ModelZip.Build(entries.Where(e => e.Name != folder + ModelZip.Header)));

        // A second copy of an entry (here, zeros) before or after the real one: refused, or the first is read and the
        // model is intact. Never a model computing something else.
        string expected = ModelLoadCheck.Run(Vae.Bytes, Vae.Data).Output!;
        foreach (string entry in new[] { ModelZip.Header, ModelZip.Settings, ModelZip.Weights })
        {
            var real = entries.Single(e => e.Name == folder + entry);
            var tampered = (real.Name, Bytes: new byte[real.Bytes.Length]);
            foreach (var zip in new[] { entries.Append(tampered), entries.Prepend(tampered) })
            {
                var outcome = ModelLoadCheck.Run(ModelZip.Build(zip), Vae.Data);
                Assert.IsNull(outcome.Problem, $"{entry} twice: {outcome.Problem}: {(outcome.Error is { } e ? Outcomes.Describe(e) : "")}");
                Console.WriteLine($"{entry} twice: {(outcome.Loaded ? "loaded" : Outcomes.Unwrap(outcome.Error!).Message)}");
                if (outcome.Loaded)
                    Assert.AreEqual(expected, outcome.Output, $"{entry} twice loaded a model that computes something else");
            }
        }
    }

    [TestMethod]
    public void EntriesGraftedFromAnotherModelAreRejectedWhereTheyDisagree()
    {
        var ml = new MLContext(seed: 1);
        var options = ModelSamples.TinyVae();
        options.LatentDimension = 3;
        byte[] other;
        using (var vae = ml.Transforms.VaeEncode(options).Fit(Vae.Data))
            other = ModelSamples.Save(ml, vae, Vae.Data.Schema);

        var weights = ModelZip.EditVaeEntry(Vae.Bytes, ModelZip.Weights, _ => ModelZip.VaeEntry(other, ModelZip.Weights));
        ModelLoadCheck.ExpectRejected(weights, Vae.Data, "Weights.bin", "expected [2, ");
        var settings = ModelZip.EditVaeEntry(Vae.Bytes, ModelZip.Settings, _ => ModelZip.VaeEntry(other, ModelZip.Settings));
        ModelLoadCheck.ExpectRejected(settings, Vae.Data, "expected [3, ");

        // Another file stored where an entry belongs: a whole model zip, the other VAE's header.
        ModelLoadCheck.ExpectRejected(ModelZip.EditVaeEntry(Vae.Bytes, ModelZip.Weights, _ => Vae.Bytes), Vae.Data, "Weights.bin", "not a weights file");
        ModelLoadCheck.ExpectRejected(ModelZip.EditVaeEntry(Vae.Bytes, ModelZip.Settings, _ => Vae.Bytes), Vae.Data, "Vae.json");
        ModelLoadCheck.ExpectRejected(ModelZip.EditVaeEntry(Vae.Bytes, ModelZip.Weights, _ => ModelZip.VaeEntry(Vae.Bytes, ModelZip.Settings)), Vae.Data, "Weights.bin");

        // Weights of a VAE of the same shape trained differently cannot be told apart: the file loads and computes with them.
        var twin = ModelSamples.TinyVae();
        twin.Seed = 2;
        byte[] twinModel;
        using (var vae = ml.Transforms.VaeEncode(twin).Fit(Vae.Data))
            twinModel = ModelSamples.Save(ml, vae, Vae.Data.Schema);
        var grafted = ModelLoadCheck.Run(ModelZip.EditVaeEntry(Vae.Bytes, ModelZip.Weights, _ => ModelZip.VaeEntry(twinModel, ModelZip.Weights)), Vae.Data);
        Assert.IsTrue(grafted is { Loaded: true, Error: null }, "same-shaped weights load");
        Assert.AreEqual(ModelLoadCheck.Run(twinModel, Vae.Data).Output, grafted.Output, "and compute what the twin computes");
    }

    [TestMethod]
    public void DeeplyNestedJsonIsRejected()
    {
        var deep = ModelZip.EditVaeEntry(Vae.Bytes, ModelZip.Settings, _ => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"x\":", 100_000)) + "1" + new string('}', 100_000)));
        ModelLoadCheck.ExpectRejected(deep, Vae.Data, "Vae.json", "depth");
    }

    [TestMethod]
    public void AVaeEntryThatInflatesFarBeyondItsBoundIsRefusedBeforeItIsInflated()
    {
        // 256 MB of zeros deflate to about 250 KB. ML.NET inflates an entry whole into a temporary file before a loader
        // sees it; the VAE's loader refuses it first, by the size the zip declares against the bound the (checked)
        // network description sets (Weights.bin) or 16 MB (Vae.json), so nothing is inflated.
        const long bombSize = 256L << 20;
        foreach (string entry in new[] { ModelZip.Weights, ModelZip.Settings })
        {
            var bomb = Bomb(entry, bombSize);
            Assert.IsTrue(bomb.Length < 4 << 20, "the bomb is small on disk");
            var clock = Stopwatch.StartNew();
            long growth = ProcessMemory.PeakGrowth(() => ModelLoadCheck.ExpectRejected(bomb, Vae.Data, entry, $"the zip declares {bombSize} bytes for it", "before it is inflated"));
            Console.WriteLine($"{entry}: {bomb.Length:N0}-byte file inflating to {bombSize:N0} bytes rejected in {clock.ElapsedMilliseconds} ms, peak memory growth {ProcessMemory.Megabytes(growth)}");
            Assert.IsTrue(growth < 48L << 20, $"rejecting the bomb grew memory by {ProcessMemory.Megabytes(growth)}");
            Assert.IsLessThan(5_000, clock.ElapsedMilliseconds, "the bomb was inflated before it was refused");
        }
    }

    [TestMethod]
    public void ABombWhoseZipUnderstatesItsSizeInflatesOnlyToTheDeclaredSize()
    {
        // The declared sizes patched down to those of the real entry: System.IO.Compression stops inflating there, so
        // the loader sees at most that many bytes (of zeros: not a weights file / not JSON) and refuses them.
        foreach (string entry in new[] { ModelZip.Weights, ModelZip.Settings })
        {
            uint real = (uint)ModelZip.VaeEntry(Vae.Bytes, entry).Length;
            var bomb = RawZip.PatchUncompressedSize(Bomb(entry, 64L << 20), ModelZip.VaeFolder(Vae.Bytes) + entry, real);
            long growth = ProcessMemory.PeakGrowth(() => ExpectCleanRejection(bomb));
            Console.WriteLine($"{entry} declared as {real} bytes, 64 MB inside: peak memory growth {ProcessMemory.Megabytes(growth)}");
            Assert.IsTrue(growth < 32L << 20, $"the understated bomb grew memory by {ProcessMemory.Megabytes(growth)}");
        }
    }

    /// <summary>The VAE sample with <paramref name="entry"/> replaced by <paramref name="size"/> deflated zeros.</summary>
    private static byte[] Bomb(string entry, long size)
    {
        string path = ModelZip.VaeFolder(Vae.Bytes) + entry;
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in ModelZip.Entries(Vae.Bytes))
            {
                if (name == path)
                {
                    RawZip.AddZeros(zip, path, size);
                    continue;
                }
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(bytes);
            }
        }
        return output.ToArray();
    }
}
