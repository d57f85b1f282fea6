using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Vae.MLNet.Tests.Model;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>Entries that inflate to far more than the limits: refused from the zip's directory, or cut off as they inflate, in bounded memory.</summary>
[TestClass]
public sealed class ZipBombTests
{
    private const long BombSize = 512L << 20;
    private static readonly ModelSample Vae = ModelSamples.Vae;

    /// <summary>The VAE sample with its arrays entry replaced by <see cref="BombSize"/> zero bytes (about 0.5 MB deflated).</summary>
    private static byte[] Bomb(string entry, bool listInManifest)
    {
        var entries = ModelZipTool.Entries(Vae.Bytes);
        entries.Remove(entry);
        if (listInManifest)
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var chunk = new byte[1 << 20];
            for (long n = 0; n < BombSize; n += chunk.Length)
                sha.AppendData(chunk);
            var manifest = JsonNode.Parse(entries["manifest.json"])!.AsObject();
            manifest["entries"]![entry] = new JsonObject { ["length"] = BombSize, ["sha256"] = Convert.ToHexStringLower(sha.GetHashAndReset()) };
            entries["manifest.json"] = System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString());
        }
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(bytes);
            }
            RawZip.AddZeros(zip, entry, BombSize);
        }
        return output.ToArray();
    }

    private static void ExpectBoundedRejection(byte[] bytes, params string[] fragments)
    {
        var clock = Stopwatch.StartNew();
        long growth = ProcessMemory.PeakGrowth(() => ModelLoadCheck.ExpectRejected(bytes, Vae.Data, fragments));
        Console.WriteLine($"{bytes.Length:N0}-byte file rejected in {clock.ElapsedMilliseconds} ms, peak memory growth {ProcessMemory.Megabytes(growth)}");
        Assert.IsTrue(growth < 48L << 20, $"rejecting the bomb grew memory by {ProcessMemory.Megabytes(growth)}");
    }

    [TestMethod]
    public void ABombThatDeclaresItsSizeIsRefusedWithoutInflating()
    {
        var bomb = Bomb(ModelEdits.FirstArrays, listInManifest: true);
        Assert.IsTrue(bomb.Length < 4 << 20, "the bomb is small on disk");
        ExpectBoundedRejection(bomb, ModelEdits.FirstArrays, "suspicious compression ratio");
    }

    [TestMethod]
    public void ABombThatLiesAboutItsSizeIsCutOffAtTheDeclaredSize()
    {
        var bomb = RawZip.PatchUncompressedSize(Bomb(ModelEdits.FirstArrays, listInManifest: false), ModelEdits.FirstArrays, 1000);
        ExpectBoundedRejection(bomb, ModelEdits.FirstArrays);
    }

    [TestMethod]
    public void BombsInUnlistedEntriesAndInTheManifestAreRefused()
    {
        ExpectBoundedRejection(Bomb("transformers/000/padding.bin", listInManifest: false), "transformers/000/padding.bin", "suspicious compression ratio");
        ExpectBoundedRejection(Bomb("manifest.json", listInManifest: false), "manifest.json", $"declares {BombSize} bytes; at most {64 << 20}");
    }

    [TestMethod]
    public void TooManyEntriesAreRefused()
    {
        var entries = ModelZipTool.Entries(Vae.Bytes).Select(kv => (kv.Key, kv.Value))
            .Concat(Enumerable.Range(0, 100_001).Select(i => ($"x/{i}", Array.Empty<byte>())));
        ExpectBoundedRejection(RawZip.Build(entries), "100004 entries; at most 100000");
    }

    [TestMethod]
    public void TheTotalAndNonSeekableLimitsHold()
    {
        var limits = ModelReadLimits.Default with { MaxTotalBytes = 1000 };
        var total = Assert.ThrowsExactly<InvalidDataException>(() => ModelOperationsCatalog.Load(new MemoryStream(Vae.Bytes), "m.zip", limits, out _));
        StringAssert.Contains(total.Message, "limit of 1000");
        var endless = Assert.ThrowsExactly<InvalidDataException>(() => ModelOperationsCatalog.Load(new EndlessStream(), "pipe", limits, out _));
        StringAssert.Contains(endless.Message, "exceeds the limit of 1000 bytes");
    }

    private sealed class EndlessStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => count;
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
