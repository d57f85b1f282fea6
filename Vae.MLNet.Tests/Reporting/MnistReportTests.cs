using System.Text.RegularExpressions;
using Microsoft.ML;
using Vae.MLNet.Examples.Datasets;
using Vae.MLNet.Reporting;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Reporting;

/// <summary>The report on real images: an MLP VAE on MNIST with the image-shape option (the docs' screenshot).</summary>
[TestClass]
[TestCategory("Slow")]
[DoNotParallelize]
public sealed class MnistReportTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void MnistReportShowsDigitsAndTenClasses()
    {
        string folder = SharedData.Folder("mnist");
        var ml = new MLContext(seed: 0);
        var train = ml.Data.LoadFromEnumerable(Mnist.Load(folder, train: true, take: 20_000));
        var test = ml.Data.LoadFromEnumerable(Mnist.Load(folder, train: false));
        using var model = ml.Transforms.VaeEncode(new VaeOptions
        {
            InputColumnName = "Pixels", LatentDimension = 16, HiddenDimensions = [400], Likelihood = VaeLikelihood.Bernoulli,
            Epochs = 8, ValidationFraction = 0.1, Seed = 0,
        }).Fit(train);

        // $VAE_REPORT_KEEP names a folder to keep the page in (the docs' screenshot is taken from it).
        string? keep = Environment.GetEnvironmentVariable("VAE_REPORT_KEEP");
        string path = keep is { Length: > 0 } ? Path.Combine(Directory.CreateDirectory(keep).FullName, "mnist-report.html")
            : Path.Combine(Path.GetTempPath(), $"mnist-report-{Guid.NewGuid():N}.html");
        VaeReport.Write(model, test, path, new VaeReportOptions { Title = "MNIST VAE (784-400-16, Bernoulli)", ImageShape = [1, 28, 28], ReconstructionCount = 10, SampleCount = 10 });
        string html = File.ReadAllText(path);
        TestContext.WriteLine($"report: {path} ({html.Length / 1024} KiB)");
        try
        {
            // In the browser too, where Chromium is installed; the screenshot is the docs' docs/images/report.png.
            if (File.Exists("/usr/bin/chromium"))
            {
                HeadlessChromium.AssertEveryFigureRendered(HeadlessChromium.SelfTest(path, TestContext), BrowserCheckTests.FigureIds);
                string screenshot = Path.ChangeExtension(path, ".png");
                var png = HeadlessChromium.Screenshot(path, screenshot, 1200, 3000);
                Assert.IsTrue(png.Pixels.Distinct().Count() > 256, "the screenshot shows more than a blank page");
                TestContext.WriteLine($"screenshot: {screenshot}");
                if (keep is not { Length: > 0 }) File.Delete(screenshot);
            }
        }
        finally
        {
            if (keep is not { Length: > 0 }) File.Delete(path);
        }

        // Image strips: originals, reconstructions, samples, 5 traversals, the interpolation's three rows; then 5 charts.
        Assert.AreEqual(3 + 5 + 3, Regex.Matches(html, "<img src=\"data:image/png;base64,").Count, "image strips");
        Assert.AreEqual(5, Regex.Matches(html, "<img class=\"chart\"").Count, "training (2), latent, KL and gap charts");
        StringAssert.Matches(html, new Regex("labels \\d and \\d"), "the interpolation names the two digits");
        StringAssert.Contains(html, "Evaluation on 10000 rows");
        StringAssert.Contains(html, "<dt>Input size</dt><dd>784</dd>");
    }
}
