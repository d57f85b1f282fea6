using Vae.MLNet.Examples;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.EndToEnd.Examples;

/// <summary>examples/Mnist, run in-process through its command line.</summary>
[TestClass]
[DoNotParallelize] // Spectre.Console allows one live progress display per process.
public sealed class MnistExampleTests
{
    [TestMethod]
    [TestCategory("Slow")]
    public void ShortRunTrainsEveryModelAndWritesTheReports()
    {
        string data = SharedData.Folder("mnist");
        string folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"vae-mnist-example-{Guid.NewGuid():N}")).FullName;
        try
        {
            string report = Path.Combine(folder, "reports", "mnist.html");
            // One epoch each and k = 10: the convolutional VAE's bound and amortization gap dominate the run otherwise.
            Assert.AreEqual(0, MnistCommand.Invoke([
                "--data", data, "--take", "2000", "--epochs", "1", "--conv-epochs", "1", "--cvae-epochs", "1", "--iw-samples", "10", "--report", report]));
            foreach (string path in new[] { report, Path.Combine(folder, "reports", "mnist-conv.html"), Path.Combine(folder, "reports", "mnist-conditional.html") })
            {
                Assert.IsTrue(File.Exists(path), path);
                string html = File.ReadAllText(path);
                StringAssert.Contains(html, "Evaluation on 2000 rows", path);
                StringAssert.Contains(html, "data:image/png;base64,", path);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    [TestCategory("Slow")]
    public void RunReturnsFiguresInTheExpectedRanges()
    {
        var results = MnistExample.Run(new MnistSettings
        {
            DataFolder = SharedData.Folder("mnist"), Take = 3000, Epochs = 2, ConvolutionalEpochs = 0, ConditionalEpochs = 1, ImportanceSamples = 20,
            ReportPath = Path.Combine(Path.GetTempPath(), $"vae-mnist-example-{Guid.NewGuid():N}.html"),
        });
        try
        {
            Assert.AreEqual(2, results.Count);
            var mlp = results[0];
            Assert.AreEqual(20, mlp.LatentDimension);
            Assert.IsTrue(mlp.Test.Elbo is < -100 and > -250, $"ELBO {mlp.Test.Elbo:F2}");
            Assert.IsTrue(mlp.ImportanceWeighted.ImportanceWeightedBound > mlp.ImportanceWeighted.Elbo, "the k = 20 bound is tighter than the ELBO");
            Assert.IsTrue(mlp.Accuracy > 0.5, $"accuracy {mlp.Accuracy:P1}");
            Assert.AreEqual(1000, mlp.Gap!.AmortizedElboPerRow.Count);
            Assert.IsTrue(mlp.Gap.Gap > 0, $"gap {mlp.Gap.Gap:F2}");
            Assert.AreEqual(2, results[1].LatentDimension);
            Assert.IsNull(results[1].Accuracy);
        }
        finally
        {
            foreach (var result in results) File.Delete(result.ReportPath);
        }
    }

    [TestMethod]
    public void MissingIdxFilesExitWithTwo()
    {
        string empty = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"vae-no-mnist-{Guid.NewGuid():N}")).FullName;
        try
        {
            Assert.AreEqual(MnistCommand.UsageError, MnistCommand.Invoke(["--data", empty]));
            Assert.AreEqual(MnistCommand.UsageError, MnistCommand.Invoke(["--data", empty, "--fashion"]));
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [TestMethod]
    public void InvalidOptionsExitWithTwo()
    {
        Assert.AreEqual(MnistCommand.UsageError, MnistCommand.Invoke(["--epochs", "0"]));
        Assert.AreEqual(MnistCommand.UsageError, MnistCommand.Invoke(["--take", "many"]));
        Assert.AreEqual(MnistCommand.UsageError, MnistCommand.Invoke(["--no-such-option"]));
    }

    [TestMethod]
    public void AsciiImagesDrawEachImageUnderItsCaption()
    {
        var dark = new float[16];
        var bright = Enumerable.Repeat(1f, 16).ToArray();
        var cross = new float[16];
        cross[1 * 4 + 1] = 1;  // row 1 merges with row 0 into the first text line
        var lines = AsciiImages.Render([dark, bright, cross], ["a", "bb", "c"], size: 4, crop: 0, perLine: 2).ToArray();
        // Two groups, each a caption line and 4/2 pixel lines.
        CollectionAssert.AreEqual(new[] { "a     bb", "      @@@@", "      @@@@", "c", " @", "" }, lines);
        var cropped = AsciiImages.Render([cross], ["c"], size: 4, crop: 1, perLine: 1).ToArray();
        CollectionAssert.AreEqual(new[] { "c", "@" }, cropped);
        Assert.ThrowsExactly<ArgumentException>(() => AsciiImages.Render([new float[15]], ["x"], 4, 0, 1).ToArray());
    }
}
