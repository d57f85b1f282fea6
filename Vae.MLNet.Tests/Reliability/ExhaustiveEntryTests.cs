



using Vae.MLNet.Tests.Support;
using Vae.MLNet.Tests.Support.ModelFiles;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>
/// The strided tests of <c>VaeModelTruncationTests</c>, exhaustively: every prefix of each of the VAE's entries, and a
/// flipped bit in every byte of them, in both samples (the VAE alone and inside a chain), each through
/// <c>new MLContext().Model.Load</c>. Thousands of loads (about 10 ms each), so in the slow category.
/// </summary>
[TestClass]
[TestCategory("Slow")]
public sealed class ExhaustiveEntryTests
{
    private static readonly string[] VaeEntries = [ModelZip.Header, ModelZip.Settings, ModelZip.Weights];

    [TestMethod]
    public void EveryPrefixOfEveryVaeEntryIsRejected()
    {
        int loads = 0;
        foreach (var sample in ModelSamples.All)
            foreach (string entry in VaeEntries)
            {
                var bytes = ModelZip.VaeEntry(sample.Bytes, entry);
                for (int length = 0; length < bytes.Length; length++, loads++)
                {
                    var cut = ModelZip.EditVaeEntry(sample.Bytes, entry, b => b[..length]);
                    if (entry == ModelZip.Header)
                        // ML.NET reads its own header first: refused by ML.NET (FormatException) or, cut inside our fields, by us.
                        Assert.IsFalse(ModelLoadCheck.ExpectClean(sample.Name, cut, sample.Data, $"{entry} cut to {length} bytes").Loaded, $"{entry} cut to {length} loaded");
                    else
                        ModelLoadCheck.ExpectRejected(cut, sample.Data, entry);
                }
            }
        Console.WriteLine($"{loads} prefixes, every one rejected");
    }

    [TestMethod]
    public void AFlippedBitInEveryByteOfEveryVaeEntryFailsCleanly()
    {
        foreach (var sample in ModelSamples.All)
        {
            string expected = ModelLoadCheck.Run(sample.Bytes, sample.Data).Output!;
            var tally = new Tally();
            foreach (string entry in VaeEntries)
            {
                var bytes = ModelZip.VaeEntry(sample.Bytes, entry);
                for (int at = 0; at < bytes.Length; at++)
                {
                    // Vae.json's digest in Model.key is resealed, so the flip reaches the JSON reader and the settings' checks.
                    var flipped = ModelZip.EditVaeEntry(sample.Bytes, entry, b =>
                    {
                        var copy = (byte[])b.Clone();
                        copy[at] ^= (byte)(1 << (at % 8));
                        return copy;
                    });
                    var outcome = ModelLoadCheck.ExpectClean(sample.Name, flipped, sample.Data, $"{entry}: bit {at % 8} of byte {at} flipped");
                    tally.Add(outcome.Loaded && outcome.Error is null ? (outcome.Output == expected ? $"{entry}: loaded, same outputs" : $"{entry}: loaded, other outputs") : $"{entry}: {Tally.Describe(outcome)}");
                }
            }
            Console.WriteLine($"{sample.Name}: {tally}");
            // A flip in Weights.bin always breaks its digest; in Model.key only bytes nobody reads (padding) may pass.
            Assert.AreEqual(0, tally[$"{ModelZip.Weights}: loaded, same outputs"] + tally[$"{ModelZip.Weights}: loaded, other outputs"], $"a flipped bit in Weights.bin loaded: {tally}");
            Assert.AreEqual(0, tally[$"{ModelZip.Header}: loaded, other outputs"], $"a flipped bit in Model.key changed the model: {tally}");
        }
    }
}
