using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Vae.MLNet.Tests.Data;

namespace Vae.MLNet.Tests.Model;

[TestClass]
public sealed class ModelCorruptionTests
{
    private static (MLContext Ml, IDataView Data, ITransformer Model, byte[] Bytes) Saved()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(ModelRoundTripTests.Rows());
        var model = ModelRoundTripTests.Pipeline(ml).Fit(data);
        return (ml, data, model, ModelRoundTripTests.Save(ml, model, data.Schema));
    }

    private static InvalidDataException LoadFails(MLContext ml, byte[] bytes) =>
        Assert.ThrowsExactly<InvalidDataException>(() => ml.Model.Load(new MemoryStream(bytes), out _));

    [TestMethod]
    public void TruncatedFilesAreRejected()
    {
        var (ml, _, _, bytes) = Saved();
        foreach (int length in new[] { 0, 10, bytes.Length / 3, bytes.Length / 2, bytes.Length - 30, bytes.Length - 1 })
        {
            var e = LoadFails(ml, bytes[..length]);
            Assert.IsTrue(e.Message.Length > 0);
        }
    }

    [TestMethod]
    public void FlippedBytesNeverGoUnnoticed()
    {
        var (ml, data, model, bytes) = Saved();
        var expected = TestData.Vectors(model.Transform(data), "Cdf").SelectMany(v => v).ToList();
        var random = new Random(12);
        int rejected = 0;
        for (int trial = 0; trial < 150; trial++)
        {
            var copy = (byte[])bytes.Clone();
            int at = random.Next(copy.Length);
            copy[at] ^= (byte)(1 << random.Next(8));
            ITransformer loaded;
            try
            {
                loaded = ml.Model.Load(new MemoryStream(copy), out _);
            }
            catch (Exception e) when (e is InvalidDataException or FormatException)
            {
                rejected++;
                continue;
            }
            // A flip in zip metadata that does not matter (a timestamp, say) may load; the model must then be intact.
            CollectionAssert.AreEqual(expected, TestData.Vectors(loaded.Transform(data), "Cdf").SelectMany(v => v).ToList(), $"flip at byte {at}");
        }
        Assert.IsTrue(rejected > 100, $"only {rejected} of 150 flips were rejected");
    }

    [TestMethod]
    public void PayloadChangesAreCaughtByChecksums()
    {
        var (ml, _, _, bytes) = Saved();
        var entries = ModelZipTool.Entries(bytes);
        string arrays = entries.Keys.First(k => k.EndsWith("arrays.bin", StringComparison.Ordinal));
        entries[arrays][^1] ^= 1;
        var e = LoadFails(ml, ModelZipTool.Build(entries, fixManifest: false));
        StringAssert.Contains(e.Message, "checksum");
        StringAssert.Contains(e.Message, arrays);
    }

    [TestMethod]
    public void WrongFormatVersionIsRejected()
    {
        var (ml, _, _, bytes) = Saved();
        var entries = ModelZipTool.Entries(bytes);
        var manifest = JsonNode.Parse(entries["manifest.json"])!.AsObject();
        manifest["formatVersion"] = 99;
        entries["manifest.json"] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var e = LoadFails(ml, ModelZipTool.Build(entries, fixManifest: false));
        StringAssert.Contains(e.Message, "version 99");

        manifest["format"] = "Something.Else";
        entries["manifest.json"] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        StringAssert.Contains(LoadFails(ml, ModelZipTool.Build(entries, fixManifest: false)).Message, "Something.Else");

        var noManifest = ModelZipTool.Entries(bytes);
        noManifest.Remove("manifest.json");
        StringAssert.Contains(LoadFails(ml, ModelZipTool.Build(noManifest, fixManifest: false)).Message, "manifest.json");
    }

    [TestMethod]
    public void UnknownKindIsRejectedByName()
    {
        var (ml, _, _, bytes) = Saved();
        var entries = ModelZipTool.Entries(bytes);
        var component = JsonNode.Parse(entries["transformers/002/component.json"])!.AsObject();
        component["kind"] = "System.IO.File";
        entries["transformers/002/component.json"] = Encoding.UTF8.GetBytes(component.ToJsonString());
        var manifest = JsonNode.Parse(entries["manifest.json"])!.AsObject();
        manifest["chain"]![2]!["kind"] = "System.IO.File";
        entries["manifest.json"] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var e = LoadFails(ml, ModelZipTool.Build(entries));
        StringAssert.Contains(e.Message, "unknown model kind 'System.IO.File'");
    }

    [TestMethod]
    public void OversizedDeclaredArrayIsRejectedBeforeAllocation()
    {
        var (ml, _, _, bytes) = Saved();
        var entries = ModelZipTool.Entries(bytes);
        string path = entries.Keys.First(k => k.EndsWith("arrays.bin", StringComparison.Ordinal));
        var arrays = entries[path];
        // First record: "VMLA", u16 name length, name, u8 dtype, u8 rank, then i64 dimensions.
        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(arrays.AsSpan(4));
        int dims = 4 + 2 + nameLength + 2;
        BinaryPrimitives.WriteInt64LittleEndian(arrays.AsSpan(dims), int.MaxValue);
        var e = LoadFails(ml, ModelZipTool.Build(entries));
        StringAssert.Contains(e.Message, "declares shape");
        StringAssert.Contains(e.Message, "bytes remain");

        BinaryPrimitives.WriteInt64LittleEndian(arrays.AsSpan(dims), -5);
        StringAssert.Contains(LoadFails(ml, ModelZipTool.Build(entries)).Message, "dimension -5");
    }

    [TestMethod]
    public void HighlyCompressedEntriesAreRefused()
    {
        var (ml, _, _, bytes) = Saved();
        var entries = ModelZipTool.Entries(bytes);
        entries["transformers/000/padding.bin"] = new byte[16 << 20];
        var e = LoadFails(ml, ModelZipTool.Build(entries));
        StringAssert.Contains(e.Message, "padding.bin");
        StringAssert.Contains(e.Message, "compression ratio");
        var missing = ModelZipTool.Entries(bytes);
        missing.Remove("transformers/003/component.json");
        var manifest = JsonNode.Parse(missing["manifest.json"])!.AsObject();
        missing["manifest.json"] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        StringAssert.Contains(LoadFails(ml, ModelZipTool.Build(missing, fixManifest: false)).Message, "transformers/003/component.json");
    }

    [TestMethod]
    public void RatioAndSizeLimitsApplyToEntriesThatAreRead()
    {
        var (ml, _, _, bytes) = Saved();
        var entries = ModelZipTool.Entries(bytes);
        string path = entries.Keys.First(k => k.EndsWith("arrays.bin", StringComparison.Ordinal));
        entries[path] = [.. entries[path], .. new byte[8 << 20]];
        var zip = ModelZipTool.Build(entries, level: p => p == path ? CompressionLevel.SmallestSize : CompressionLevel.Optimal);
        var e = LoadFails(ml, zip);
        StringAssert.Contains(e.Message, "compression ratio");

        var limits = ModelReadLimits.Default with { MaxEntryBytes = 100 };
        var small = Assert.ThrowsExactly<InvalidDataException>(() => ModelOperationsCatalog.Load(new MemoryStream(bytes), "m.zip", limits, out _));
        StringAssert.Contains(small.Message, "at most 100 ");
    }

    [TestMethod]
    public void NotAZipAndNonSeekableStreams()
    {
        var (ml, data, model, bytes) = Saved();
        StringAssert.Contains(LoadFails(ml, Encoding.UTF8.GetBytes("definitely not a zip file")).Message, "not a readable model zip");
        var loaded = ml.Model.Load(new ForwardOnlyStream(bytes), out _);
        Assert.AreEqual(model.GetOutputSchema(data.Schema).Count, loaded.GetOutputSchema(data.Schema).Count);
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
