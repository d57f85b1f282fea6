using System.Text;
using System.Text.Json.Nodes;
using FsCheck.Fluent;
using Vae.MLNet.Tests.Model;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>
/// FsCheck properties over mutated model files of each sample kind: loading either succeeds and the model transforms
/// the sample data, or throws a documented exception naming the stream, never a crash type.
/// </summary>
[TestClass]
public sealed class ModelMutationProperties
{
    public static IEnumerable<object[]> Samples => [["normalizer"], ["vae"], ["trainer"]];

    [TestMethod]
    [DynamicData(nameof(Samples))]
    public void RawByteEditsAreRejectedOrChangeNothing(string name)
    {
        var sample = ModelSamples.ByName(name);
        string expected = ModelLoadCheck.Run(sample.Bytes, sample.Data).Output!;
        var tally = new Tally();
        Fuzz.Check(ByteEdit.Several, edits =>
        {
            var outcome = tally.Add(ModelLoadCheck.ExpectClean(name, ByteEdit.ApplyAll(sample.Bytes, edits), sample.Data, string.Join(", ", edits.AsEnumerable())));
            if (outcome.Loaded && outcome.Output != expected)
                Assert.Fail($"{string.Join(", ", edits.AsEnumerable())} loaded a model that computes something else");
        }, tests: 300, seed: 11);
        Console.WriteLine(tally);
    }

    [TestMethod]
    [DynamicData(nameof(Samples))]
    public void ByteEditsInsideAnEntryWithARepairedManifestLoadOrFailCleanly(string name)
    {
        var sample = ModelSamples.ByName(name);
        var entries = ModelZipTool.Entries(sample.Bytes);
        var paths = entries.Keys.Where(p => p != "manifest.json").Order(StringComparer.Ordinal).ToArray();
        var tally = new Tally();
        var gen = from entry in Gen.Elements(paths) from edits in ByteEdit.Several select (entry, edits);
        Fuzz.Check(gen, c =>
        {
            var edited = new Dictionary<string, byte[]>(entries) { [c.entry] = ByteEdit.ApplyAll(entries[c.entry], c.edits) };
            tally.Add(ModelLoadCheck.ExpectClean(name, ModelZipTool.Build(edited), sample.Data, $"{c.entry}: {string.Join(", ", c.edits.AsEnumerable())}"));
        }, tests: 500, seed: 12);
        Console.WriteLine(tally);
    }

    [TestMethod]
    [DynamicData(nameof(Samples))]
    public void JsonEditsLoadOrFailCleanly(string name)
    {
        var sample = ModelSamples.ByName(name);
        var entries = ModelZipTool.Entries(sample.Bytes);
        var paths = entries.Keys.Where(p => p.EndsWith(".json", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        bool vae = name == "vae";
        var tally = new Tally();
        var gen = from entry in Gen.Elements(paths) from edits in JsonEdit.Any(smallValues: vae).ArrayOf().Select(e => e.Take(3).ToArray()) select (entry, edits);
        Fuzz.Check(gen, c =>
        {
            var json = JsonNode.Parse(entries[c.entry])!.AsObject();
            var edited = c.edits.Select(e => e.Apply(json, _ => true)).ToArray();
            var copy = new Dictionary<string, byte[]>(entries) { [c.entry] = Encoding.UTF8.GetBytes(json.ToJsonString()) };
            // The manifest's own edits must reach the reader, so its entries table is repaired only for other entries.
            var bytes = ModelZipTool.Build(copy, fixManifest: c.entry != "manifest.json");
            tally.Add(ModelLoadCheck.ExpectClean(name, bytes, sample.Data, $"{c.entry}: {string.Join(", ", c.edits.Zip(edited, (e, p) => $"{e} at {p}"))}"));
        }, tests: 1000, seed: 13);
        Console.WriteLine(tally);
    }

    [TestMethod]
    public void ArrayShapeEditsOfTheVaeLoadOrFailCleanly()
    {
        var sample = ModelSamples.Vae;
        var records = ArraysFile.Parse(ModelZipTool.Entries(sample.Bytes)[ModelEdits.FirstArrays]);
        var tally = new Tally();
        var shapes = Gen.Choose(0, 3).SelectMany(rank => Gen.Choose(-1, 9).Select(d => (long)d).ArrayOf(rank));
        var gen = from index in Gen.Choose(0, records.Count - 1)
                  from shape in shapes
                  from dtype in Gen.Elements<byte>(1, 1, 1, 2, 3, 4, 5, 0, 9)
                  from keepData in Gen.Elements(true, false)
                  select (index, shape, dtype, keepData);
        Fuzz.Check(gen, c =>
        {
            var bytes = ModelEdits.EditArrays(sample.Bytes, ModelEdits.FirstArrays, list =>
            {
                var r = list[c.index];
                // Either keep the bytes (declared size may disagree with them) or resize them to match the new shape.
                long count = c.shape.Aggregate(1L, (a, b) => a * Math.Max(b, 0));
                int itemSize = c.dtype is 2 or 4 ? 8 : c.dtype == 5 ? 1 : 4;
                var data = c.keepData ? r.Data : new byte[count * itemSize];
                list[c.index] = r with { Shape = c.shape, DType = c.dtype, Data = data };
            });
            tally.Add(ModelLoadCheck.ExpectClean("vae", bytes, sample.Data, $"array {records[c.index].Name} as dtype {c.dtype} shape [{string.Join(", ", c.shape)}], data kept: {c.keepData}"));
        }, tests: 500, seed: 14);
        Console.WriteLine(tally);
    }
}
