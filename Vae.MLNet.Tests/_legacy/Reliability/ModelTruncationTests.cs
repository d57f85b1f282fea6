using Vae.MLNet.Tests.Model;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>Truncated and bit-flipped model files: rejected cleanly, or (a flip in metadata that does not matter) loaded intact.</summary>
[TestClass]
public sealed class ModelTruncationTests
{
    [TestMethod]
    public void EveryPrefixOfTheNormalizerChainIsRejected()
    {
        var sample = ModelSamples.Normalizer;
        for (int length = 0; length < sample.Bytes.Length; length++)
        {
            var outcome = ModelLoadCheck.ExpectClean(sample.Name, sample.Bytes[..length], sample.Data, $"prefix of {length} bytes");
            Assert.IsFalse(outcome.Loaded, $"a prefix of {length} of {sample.Bytes.Length} bytes loaded");
        }
    }

    [TestMethod]
    public void StridedPrefixesOfTheVaeAndTheTrainerAreRejected()
    {
        foreach (var sample in new[] { ModelSamples.Vae, ModelSamples.Trainer })
        {
            int stride = Math.Max(1, sample.Bytes.Length / 400);
            for (int length = 0; length < sample.Bytes.Length; length += stride)
                Assert.IsFalse(ModelLoadCheck.ExpectClean(sample.Name, sample.Bytes[..length], sample.Data, $"prefix of {length} bytes").Loaded);
            // The last bytes hold the end of the central directory: every one of them matters.
            for (int cut = 1; cut <= 64; cut++)
                Assert.IsFalse(ModelLoadCheck.ExpectClean(sample.Name, sample.Bytes[..^cut], sample.Data, $"{cut} bytes cut").Loaded);
        }
    }

    [TestMethod]
    public void AFlippedBitAnywhereIsRejectedOrChangesNothing()
    {
        foreach (var sample in ModelSamples.All)
        {
            string expected = ModelLoadCheck.Run(sample.Bytes, sample.Data).Output!;
            int stride = Math.Max(1, sample.Bytes.Length / 1500);
            int rejected = 0, tried = 0;
            for (int at = 0; at < sample.Bytes.Length; at += stride, tried++)
            {
                var copy = (byte[])sample.Bytes.Clone();
                copy[at] ^= (byte)(1 << (at % 8));
                var outcome = ModelLoadCheck.ExpectClean(sample.Name, copy, sample.Data, $"bit {at % 8} of byte {at} flipped");
                if (!outcome.Loaded)
                    rejected++;
                else
                    Assert.AreEqual(expected, outcome.Output, $"{sample.Name}: the flip at byte {at} loaded a different model");
            }
            Console.WriteLine($"{sample.Name}: {tried} flips, {rejected} rejected, {tried - rejected} harmless (zip metadata)");
            Assert.IsTrue(rejected > tried / 2, $"{sample.Name}: only {rejected} of {tried} flips were rejected");
        }
    }

    [TestMethod]
    public void FlippedBytesInsideEntriesWithRepairedChecksumsReachTheParsersAndFailCleanly()
    {
        // The manifest's SHA-256 catches any edit, so repair it: this exercises the JSON, options and array readers.
        foreach (var sample in ModelSamples.All)
        {
            var entries = ModelZipTool.Entries(sample.Bytes);
            foreach (var (path, bytes) in entries.Where(e => e.Key != "manifest.json").ToArray())
            {
                int stride = Math.Max(1, bytes.Length / 200);
                for (int at = 0; at < bytes.Length; at += stride)
                {
                    foreach (byte value in new byte[] { (byte)(bytes[at] ^ 0x01), (byte)(bytes[at] ^ 0x80), 0x00, 0xFF, (byte)'9', (byte)'"' })
                    {
                        var edited = new Dictionary<string, byte[]>(entries) { [path] = (byte[])bytes.Clone() };
                        edited[path][at] = value;
                        ModelLoadCheck.ExpectClean(sample.Name, ModelZipTool.Build(edited), sample.Data, $"{path} byte {at} set to 0x{value:X2}");
                    }
                }
            }
        }
    }
}
