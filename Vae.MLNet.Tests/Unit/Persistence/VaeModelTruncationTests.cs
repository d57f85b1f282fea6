




using Vae.MLNet.Tests.Support;
using Vae.MLNet.Tests.Support.ModelFiles;

namespace Vae.MLNet.Tests.Unit.Persistence;

/// <summary>
/// Truncated and bit-flipped model zips, and damaged VAE entries inside intact zips: rejected cleanly (ML.NET's
/// FormatException for the zip and its headers, the VAE's InvalidDataException for its entries), or, for a flip in zip
/// metadata that does not matter, loaded intact.
/// </summary>
[TestClass]
public sealed class VaeModelTruncationTests
{
    [TestMethod]
    public void StridedPrefixesOfTheModelsAreRejected()
    {
        foreach (var sample in ModelSamples.All)
        {
            int stride = Math.Max(1, sample.Bytes.Length / 150);
            for (int length = 0; length < sample.Bytes.Length; length += stride)
                Assert.IsFalse(ModelLoadCheck.ExpectClean(sample.Name, sample.Bytes[..length], sample.Data, $"prefix of {length} bytes").Loaded);
            // The last bytes hold the end of the central directory: every one of them matters.
            for (int cut = 1; cut <= 24; cut++)
                Assert.IsFalse(ModelLoadCheck.ExpectClean(sample.Name, sample.Bytes[..^cut], sample.Data, $"{cut} bytes cut").Loaded);
        }
    }

    [TestMethod]
    public void EveryPrefixOfEachVaeEntryIsRejectedNamingTheEntry()
    {
        var sample = ModelSamples.Vae;
        foreach (string entry in new[] { ModelZip.Settings, ModelZip.Weights })
        {
            var bytes = ModelZip.VaeEntry(sample.Bytes, entry);
            int stride = Math.Max(1, bytes.Length / 120);
            for (int length = 0; length < bytes.Length; length += stride)
                ModelLoadCheck.ExpectRejected(ModelZip.EditVaeEntry(sample.Bytes, entry, b => b[..length]), sample.Data, entry);
        }
        // Model.key is ML.NET's header: cut, it is refused by ML.NET (FormatException) or, cut inside our weight count, by us.
        var header = ModelZip.VaeEntry(sample.Bytes, ModelZip.Header);
        for (int length = 0; length < header.Length; length += 7)
        {
            var outcome = ModelLoadCheck.ExpectClean(sample.Name, ModelZip.EditVaeEntry(sample.Bytes, ModelZip.Header, b => b[..length]), sample.Data, $"Model.key cut to {length}");
            Assert.IsFalse(outcome.Loaded, $"Model.key cut to {length} bytes loaded");
        }
    }

    [TestMethod]
    public void AFlippedBitAnywhereInTheZipIsRejectedOrChangesNothing()
    {
        foreach (var sample in ModelSamples.All)
        {
            string expected = ModelLoadCheck.Run(sample.Bytes, sample.Data).Output!;
            int stride = Math.Max(1, sample.Bytes.Length / 400);
            int rejected = 0, tried = 0, silent = 0;
            for (int at = 0; at < sample.Bytes.Length; at += stride, tried++)
            {
                var copy = (byte[])sample.Bytes.Clone();
                copy[at] ^= (byte)(1 << (at % 8));
                var outcome = ModelLoadCheck.ExpectClean(sample.Name, copy, sample.Data, $"bit {at % 8} of byte {at} flipped");
                if (!outcome.Loaded)
                    rejected++;
                else if (outcome.Error is null && outcome.Output != expected)
                {
                    // The zip's CRC is not checked on read. The VAE's weights carry a digest; ML.NET's own entries (the
                    // normalizer's scales) do not, so a flip there can change the chain's numbers unnoticed.
                    Assert.AreNotEqual("vae", sample.Name, $"the flip at byte {at} loaded a VAE that computes something else");
                    silent++;
                }
            }
            Console.WriteLine($"{sample.Name}: {tried} flips, {rejected} rejected, {tried - rejected - silent} harmless (zip metadata), "
                + $"{silent} changed ML.NET's normalizer unnoticed");
            Assert.IsTrue(rejected > tried / 2, $"{sample.Name}: only {rejected} of {tried} flips were rejected");
            Assert.IsTrue(silent <= tried / 20, $"{sample.Name}: {silent} of {tried} flips changed the model unnoticed");
        }
    }

    [TestMethod]
    public void FlippedBytesInsideTheVaeEntriesOfAnIntactZipFailCleanly()
    {
        // The zip's CRC would catch most flips in the compressed file; rebuilding the zip around an edited entry
        // exercises the JSON, settings, header and weights readers themselves.
        var sample = ModelSamples.Vae;
        string expected = ModelLoadCheck.Run(sample.Bytes, sample.Data).Output!;
        var tally = new Tally();
        foreach (string entry in new[] { ModelZip.Header, ModelZip.Settings, ModelZip.Weights })
        {
            var bytes = ModelZip.VaeEntry(sample.Bytes, entry);
            int stride = Math.Max(1, bytes.Length / 60);
            for (int at = 0; at < bytes.Length; at += stride)
            {
                foreach (byte value in new byte[] { (byte)(bytes[at] ^ 0x01), (byte)(bytes[at] ^ 0x80), 0x00, 0xFF, (byte)'9', (byte)'"' })
                {
                    var edited = ModelZip.EditVaeEntry(sample.Bytes, entry, b =>
                    {
                        var copy = (byte[])b.Clone();
                        copy[at] = value;
                        return copy;
                    });
                    tally.Add(ModelLoadCheck.ExpectClean(sample.Name, edited, sample.Data, $"{entry} byte {at} set to 0x{value:X2}"));
                }
            }
        }
        Console.WriteLine(tally);
    }
}
