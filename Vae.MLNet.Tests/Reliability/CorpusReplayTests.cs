using Microsoft.ML;
using Vae.MLNet.Networks;
using Vae.MLNet.Training;
using static TorchSharp.torch;
using Vae.MLNet.Tests.Support;
using Vae.MLNet.Tests.Support.ModelFiles;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>
/// Replays every input that ever broke a property (Corpus/, copied beside the tests): model files named after the
/// sample whose data they transform. Each must load and transform, or be rejected cleanly.
/// </summary>
[TestClass]
public sealed class CorpusReplayTests
{
    private static string Folder(string name) => Path.Combine(AppContext.BaseDirectory, "Reliability", "Corpus", name);

    [TestMethod]
    public void EveryModelInTheCorpusLoadsOrFailsCleanly()
    {
        var files = Directory.GetFiles(Folder("model"), "*.zip").Order(StringComparer.Ordinal).ToArray();
        Assert.IsTrue(files.Length > 0, $"no corpus files in {Folder("model")}");
        foreach (string file in files)
        {
            var sample = ModelSamples.ByName(Path.GetFileName(file).Split('-')[0]);
            var outcome = ModelLoadCheck.ExpectClean(sample.Name, File.ReadAllBytes(file), sample.Data, Path.GetFileName(file));
            Console.WriteLine($"{Path.GetFileName(file)}: {(outcome.Error is { } e ? Outcomes.Unwrap(e).Message : "loaded and transformed")}");
        }
    }

    /// <summary>
    /// Replays the checkpoints the AFL++ harness found crashing (tests/fuzz, exported with its <c>export</c> command):
    /// restored into the tiny VAE's network, Adam and a generator as the harness does (its fingerprint is "fuzz"), each
    /// must be refused with the checkpoint's InvalidDataException, naming the entry the file name says.
    /// </summary>
    [TestMethod]
    public void EveryCheckpointInTheCorpusIsRefusedNamingItsDefect()
    {
        var expected = new Dictionary<string, string[]>
        {
            ["fuzz-generator-invalid-mt19937-state.zip"] = ["generator.bin", "not a valid Mersenne Twister state"],
            ["fuzz-optimizer-state-read-past-end.zip"] = ["optimizer.bin"],
        };
        var files = Directory.GetFiles(Folder("checkpoint"), "*.zip").Order(StringComparer.Ordinal).ToArray();
        CollectionAssert.AreEquivalent(expected.Keys.ToArray(), files.Select(Path.GetFileName).ToArray(), "corpus files without an expectation here");
        var ml = new MLContext(seed: 1);
        VaeNetworkSpec spec;
        using (var vae = ml.Transforms.VaeEncode(ModelSamples.TinyVae()).Fit(ModelSamples.Vae.Data)) spec = vae.Network.Spec;
        using var network = new VaeNetwork(spec);
        using var optimizer = optim.Adam(network.parameters(), lr: 1e-3);
        using var generator = new Generator(1);
        foreach (string file in files)
        {
            string copy = Path.Combine(Path.GetTempPath(), $"vae-corpus-{Guid.NewGuid():N}.zip");
            File.Copy(file, copy);
            try
            {
                using var state = new TrainingState<VaeEpochMetrics>();
                var e = Assert.ThrowsExactly<InvalidDataException>(() => new TrainingCheckpoint(copy, "fuzz").TryRestore(network, optimizer, generator, state), Path.GetFileName(file));
                Assert.IsNull(Outcomes.Problem(e, x => x is InvalidDataException), Outcomes.Describe(e));
                foreach (string fragment in expected[Path.GetFileName(file)])
                    StringAssert.Contains(e.Message, fragment);
                Console.WriteLine($"{Path.GetFileName(file)}: {e.Message}");
            }
            finally
            {
                File.Delete(copy);
            }
        }
    }

    /// <summary>
    /// Writes the corpus's VAE files anew from the current sample when VAE_CORPUS_WRITE names the corpus folder (run
    /// after a format change); otherwise checks that each file still shows what its name says.
    /// </summary>
    [TestMethod]
    public void TheVaeCorpusFilesStillHoldTheirDefects()
    {
        var cases = new (string File, byte[] Bytes, string Expected)[]
        {
            ("vae-column-name-missing.zip", ModelZip.EditSettings(ModelSamples.Vae.Bytes, c => c["Columns"]!.AsObject().Remove("Mean")), "Mean"),
            ("vae-log-variance-max-1e308.zip", ModelZip.EditSettings(ModelSamples.Vae.Bytes, c => ModelZip.Set(c, "Spec/LogVarianceMax", 1e308)), "LogVariance"),
            ("vae-hidden-dimension-2e24.zip", ModelZip.EditSettings(ModelSamples.Vae.Bytes, c => ModelZip.Set(c, "Spec/HiddenDimensions/0", 1 << 24)), "weights"),
        };
        if (Environment.GetEnvironmentVariable("VAE_CORPUS_WRITE") is { Length: > 0 } folder)
            foreach (var c in cases) File.WriteAllBytes(Path.Combine(folder, c.File), c.Bytes);
        foreach (var c in cases)
        {
            string path = Path.Combine(Folder("model"), c.File);
            Assert.IsTrue(File.Exists(path), $"{c.File} is missing from the corpus");
            ModelLoadCheck.ExpectRejected(File.ReadAllBytes(path), ModelSamples.Vae.Data, c.Expected);
        }
    }
}
