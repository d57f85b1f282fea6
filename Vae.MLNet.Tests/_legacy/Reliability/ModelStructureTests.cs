using System.Text.Json.Nodes;
using Vae.MLNet.Data;
using Vae.MLNet.Tests.Model;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>Hand-made hostile model files: wrong versions and kinds, edited shapes, lying sizes, nesting and odd names.</summary>
[TestClass]
public sealed class ModelStructureTests
{
    private static readonly ModelSample Normalizer = ModelSamples.Normalizer;
    private static readonly ModelSample Vae = ModelSamples.Vae;

    private static byte[] EditManifest(byte[] model, Action<JsonObject> edit) => ModelEdits.EditJson(model, "manifest.json", edit, repairManifest: false);

    [TestMethod]
    public void AnyFormatVersionButOneIsRejected()
    {
        var versions = new (JsonNode? Value, string Expected)[]
        {
            (0, "format version 0 is not supported"), (2, "format version 2 is not supported"), (-1, "format version -1 is not supported"),
            (long.MaxValue, $"format version {long.MaxValue} is not supported"), (1.5, "non-integer property 'formatVersion'"),
            ("1", "non-integer property 'formatVersion'"), (null, "non-integer property 'formatVersion'"),
        };
        foreach (var (value, expected) in versions)
            ModelLoadCheck.ExpectRejected(EditManifest(Normalizer.Bytes, m => m["formatVersion"] = value?.DeepClone()), Normalizer.Data, expected);
        ModelLoadCheck.ExpectRejected(EditManifest(Normalizer.Bytes, m => m["format"] = "ML.NET"), Normalizer.Data, "'ML.NET'");
    }

    [TestMethod]
    public void UnknownKindsAreRejectedByNameAndNoCodeNamedByTheFileRuns()
    {
        string[] kinds = [typeof(Tripwire).FullName!, typeof(Tripwire).AssemblyQualifiedName!, "System.Diagnostics.Process", "", "../000"];
        foreach (string kind in kinds)
        {
            var bytes = ModelEdits.EditJson(Normalizer.Bytes, "transformers/000/component.json", c => c["kind"] = kind);
            bytes = EditManifest(bytes, m => m["chain"]![0]!["kind"] = kind);
            bytes = ModelZipTool.Build(ModelZipTool.Entries(bytes));
            ModelLoadCheck.ExpectRejected(bytes, Normalizer.Data, $"unknown model kind '{kind}'");
        }
        Assert.IsFalse(TripwireLog.Triggered, "a type named by the file was initialized");
    }

    [TestMethod]
    public void AVaeWeightEditedToAnotherShapeIsRejectedWithBothShapes()
    {
        const string name = "encoder.0.weight"; // [hidden 4, input 4], 16 floats
        var edits = new (string What, Func<ArrayRecord, ArrayRecord> Edit, string Expected)[]
        {
            ("same size, other shape", r => r with { Shape = [2, 8] }, "has shape [2, 8], expected [4, 4]"),
            ("flattened", r => r with { Shape = [16] }, "has shape [16], expected [4, 4]"),
            ("extra axis", r => r with { Shape = [4, 4, 1] }, "has shape [4, 4, 1], expected [4, 4]"),
            ("larger, with its data", r => r with { Shape = [4, 5], Data = new byte[80] }, "has shape [4, 5], expected [4, 4]"),
            ("smaller, with its data", r => r with { Shape = [4, 3], Data = new byte[48] }, "has shape [4, 3], expected [4, 4]"),
            ("scalar", r => r with { Shape = [], Data = new byte[4] }, "has shape [], expected [4, 4]"),
            ("float64", r => r with { DType = 2, Data = new byte[128] }, "is float64, but float32 was expected"),
            ("renamed", r => r with { Name = "encoder.9.weight" }, $"has no array '{name}'"),
        };
        foreach (var (what, edit, expected) in edits)
        {
            var bytes = ModelEdits.EditArrays(Vae.Bytes, ModelEdits.FirstArrays, list =>
            {
                int i = list.FindIndex(r => r.Name == name);
                list[i] = edit(list[i]);
            });
            var e = ModelLoadCheck.ExpectRejected(bytes, Vae.Data, expected);
            Console.WriteLine($"{what}: {e.Message}");
        }
        var extra = ModelEdits.EditArrays(Vae.Bytes, ModelEdits.FirstArrays, list => list.Add(list[0] with { Name = "decoder.9.weight" }));
        ModelLoadCheck.ExpectRejected(extra, Vae.Data, "arrays its network does not: decoder.9.weight");
        var missing = ModelEdits.EditArrays(Vae.Bytes, ModelEdits.FirstArrays, list => list.RemoveAll(r => r.Name == name));
        ModelLoadCheck.ExpectRejected(missing, Vae.Data, $"has no array '{name}'");
        var respec = ModelEdits.EditJson(Vae.Bytes, ModelEdits.FirstComponent, c => ModelEdits.Set(c, "options/Spec/LatentDimension", 3));
        ModelLoadCheck.ExpectRejected(respec, Vae.Data, "array 'mean_head.weight' has shape [2, 4], expected [3, 4]");
    }

    [TestMethod]
    public void DeclaredSizesLargerThanTheBytesPresentAreRejectedBeforeAllocating()
    {
        long growth = ProcessMemory.PeakGrowth(() =>
        {
            foreach (long dimension in new[] { 17L, 1L << 20, int.MaxValue })
            {
                var bytes = ModelEdits.EditArrays(Vae.Bytes, ModelEdits.FirstArrays, list => list[^1] = list[^1] with { Shape = [dimension, 4] });
                ModelLoadCheck.ExpectRejected(bytes, Vae.Data, $"declares shape [{dimension}, 4]", "bytes remain");
            }
            var huge = ModelEdits.EditArrays(Vae.Bytes, ModelEdits.FirstArrays, list => list[^1] = list[^1] with { Shape = [int.MaxValue, int.MaxValue, int.MaxValue] });
            ModelLoadCheck.ExpectRejected(huge, Vae.Data, "bytes remain");
            ModelLoadCheck.ExpectRejected(ModelEdits.EditArrays(Vae.Bytes, ModelEdits.FirstArrays, list => list[0] = list[0] with { Shape = [1L << 40] }), Vae.Data, "declares dimension");

            // The manifest records more bytes than the entry holds.
            var longer = EditManifest(Vae.Bytes, m => m["entries"]![ModelEdits.FirstArrays]!["length"] = 1L << 40);
            ModelLoadCheck.ExpectRejected(longer, Vae.Data, ModelEdits.FirstArrays, "manifest records 1099511627776");

            // The zip's headers declare more (compressed and uncompressed) bytes than the file has.
            var lying = RawZip.PatchUncompressedSize(Vae.Bytes, ModelEdits.FirstArrays, 1u << 30, compressedSize: 1u << 30);
            ModelLoadCheck.ExpectRejected(lying, Vae.Data, ModelEdits.FirstArrays, "compressed bytes but the file has only");
            var inflated = RawZip.PatchUncompressedSize(Vae.Bytes, ModelEdits.FirstArrays, 1u << 30);
            ModelLoadCheck.ExpectRejected(inflated, Vae.Data, ModelEdits.FirstArrays);
        });
        Console.WriteLine($"peak memory growth while rejecting: {ProcessMemory.Megabytes(growth)}");
        Assert.IsTrue(growth < 64L << 20, $"rejecting lying sizes grew memory by {ProcessMemory.Megabytes(growth)}");
    }

    [TestMethod]
    public void NestedComponentsAndZipsAreBounded()
    {
        // A chain nested 40 levels deep, each level a TransformerChain holding the next.
        var entries = ModelZipTool.Entries(Normalizer.Bytes);
        foreach (var key in entries.Keys.Where(k => k.StartsWith("transformers/", StringComparison.Ordinal)).ToArray())
            entries.Remove(key);
        string folder = "transformers/000/";
        for (int depth = 0; depth < 40; depth++, folder += "sub/t0/")
            entries[folder + "component.json"] = System.Text.Encoding.UTF8.GetBytes(
                """{"kind":"TransformerChain","options":{"Count":1},"arrays":{},"subModels":{"t0":"TransformerChain"}}""");
        var manifest = JsonNode.Parse(entries["manifest.json"])!.AsObject();
        manifest["chain"] = new JsonArray(new JsonObject { ["kind"] = "TransformerChain", ["path"] = "transformers/000/" });
        manifest["isChain"] = false;
        entries["manifest.json"] = System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString());
        ModelLoadCheck.ExpectRejected(ModelZipTool.Build(entries), Normalizer.Data, "nested deeper than 32 levels");

        // A whole model stored where an arrays entry belongs.
        var zipInZip = ModelZipTool.Entries(Vae.Bytes);
        zipInZip[ModelEdits.FirstArrays] = Vae.Bytes;
        ModelLoadCheck.ExpectRejected(ModelZipTool.Build(zipInZip), Vae.Data, "not an arrays file");

        // JSON nested far deeper than any model needs.
        var deep = ModelZipTool.Entries(Normalizer.Bytes);
        deep["transformers/000/component.json"] = System.Text.Encoding.UTF8.GetBytes(new string('[', 100_000) + new string(']', 100_000));
        ModelLoadCheck.ExpectRejected(ModelZipTool.Build(deep), Normalizer.Data, "transformers/000/component.json", "depth");
    }

    [TestMethod]
    public void DuplicateEntriesAreRejected()
    {
        var entries = ModelZipTool.Entries(Vae.Bytes).Select(kv => (kv.Key, kv.Value)).ToList();
        var tampered = entries.Select(e => e.Key == ModelEdits.FirstArrays ? (e.Key, Value: new byte[e.Value.Length]) : e).ToList();
        foreach (var order in new[] { entries.Concat(tampered.Where(e => e.Key == ModelEdits.FirstArrays)), tampered.Where(e => e.Key == ModelEdits.FirstArrays).Concat(entries) })
            ModelLoadCheck.ExpectRejected(RawZip.Build(order), Vae.Data, $"holds the entry '{ModelEdits.FirstArrays}' twice");
        var twoManifests = entries.Append(("manifest.json", System.Text.Encoding.UTF8.GetBytes("{}")));
        ModelLoadCheck.ExpectRejected(RawZip.Build(twoManifests), Vae.Data, "'manifest.json' twice");
    }

    [TestMethod]
    public void PathTraversalAndOddEntryNamesAreRejectedAndNothingIsWritten()
    {
        string marker = $"vae-traversal-{Guid.NewGuid():N}.json";
        string[] names =
        [
            $"../{marker}", $"/tmp/{marker}", $"transformers/000/../../../{marker}", $"transformers\\000\\{marker}", $"C:/{marker}",
            $"transformers//{marker}", $"./{marker}", $"transformers/000/\u0000{marker}", $"transformers/000/{marker}\u202e", $"transformers/000/{marker} ",
        ];
        var entries = ModelZipTool.Entries(Normalizer.Bytes).Select(kv => (kv.Key, kv.Value)).ToList();
        foreach (string name in names)
        {
            var e = ModelLoadCheck.ExpectRejected(RawZip.Build(entries.Append((name, "{}"u8.ToArray()))), Normalizer.Data, "has an entry named");
            Assert.IsFalse(e.Message.Contains('\u0000'), "control characters from the file are escaped in the message");
        }
        // Also through the manifest: a chain path that climbs out of transformers/.
        var climbing = EditManifest(Normalizer.Bytes, m => m["chain"]![0]!["path"] = "transformers/../../");
        ModelLoadCheck.ExpectRejected(climbing, Normalizer.Data, "invalid path");
        foreach (string folder in new[] { Directory.GetCurrentDirectory(), Path.GetTempPath(), "/tmp", "/" })
            Assert.IsFalse(Directory.EnumerateFiles(folder, marker, SearchOption.TopDirectoryOnly).Any(), $"a file was written to {folder}");
    }

    [TestMethod]
    public void AFailedLoadDisposesTheTransformersItAlreadyLoaded()
    {
        DisposeProbe.Register();
        var ml = new MLContext();
        var chain = new TransformerChain<ITransformer>(new DisposeProbe(), new DisposeProbe());
        var bytes = ModelSamples.Save(ml, chain, Normalizer.Data.Schema);
        bytes = ModelEdits.EditJson(bytes, "transformers/001/component.json", c => c["kind"] = "Unknown");
        bytes = ModelZipTool.Build(ModelZipTool.Entries(EditManifest(bytes, m => m["chain"]![1]!["kind"] = "Unknown")));
        int before = DisposeProbe.Disposed;
        ModelLoadCheck.ExpectRejected(bytes, Normalizer.Data, "unknown model kind 'Unknown'");
        Assert.AreEqual(before + 1, DisposeProbe.Disposed, "the first transformer, loaded before the failure, was disposed");
    }

    [TestMethod]
    public void FolderEntriesAsZipToolsWriteThemStillLoad()
    {
        var entries = ModelZipTool.Entries(Normalizer.Bytes).Select(kv => (kv.Key, kv.Value)).Prepend(("transformers/", Array.Empty<byte>()));
        Assert.IsTrue(ModelLoadCheck.Run(RawZip.Build(entries), Normalizer.Data) is { Loaded: true, Error: null });
    }
}
