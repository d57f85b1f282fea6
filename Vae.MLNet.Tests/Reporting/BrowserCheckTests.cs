using Microsoft.ML;
using Vae.MLNet.Reporting;

namespace Vae.MLNet.Tests.Reporting;

/// <summary>
/// Opens a report in headless Chromium: every figure laid out with a size, every chart and image decoded, no script
/// error, and a screenshot that shows the charts. Inconclusive where Chromium is not installed.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class BrowserCheckTests
{
    internal static readonly string[] FigureIds = ["training", "reconstructions", "samples", "latent", "kl", "amortization", "traversals", "interpolation"];

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void EveryFigureRendersWithANonZeroSizeAndNoScriptError()
    {
        HeadlessChromium.RequireInstalled();
        // $VAE_REPORT_KEEP names a folder to keep the page and its screenshot in, for a look.
        string? keep = Environment.GetEnvironmentVariable("VAE_REPORT_KEEP");
        string folder = keep is { Length: > 0 } ? Directory.CreateDirectory(keep).FullName : Directory.CreateTempSubdirectory("vae-report-").FullName;
        try
        {
            var ml = new MLContext(seed: 4);
            var data = ml.Data.LoadFromEnumerable(ReportTestData.Generate(200, seed: 4));
            using var model = ml.Transforms.VaeEncode(new VaeOptions
            {
                LatentDimension = 4, HiddenDimensions = [16], Likelihood = VaeLikelihood.Bernoulli, Epochs = 2, BatchSize = 32, ValidationFraction = 0.2, Seed = 4,
            }).Fit(data);
            string page = Path.Combine(folder, "report.html");
            // Images as well as charts: the browser must decode both kinds of inline PNG.
            VaeReport.Write(model, data, page, new VaeReportOptions { ImageShape = [1, 4, 5], AmortizationGapRows = 40, AmortizationGapSteps = 5 });

            HeadlessChromium.AssertEveryFigureRendered(HeadlessChromium.SelfTest(page, TestContext), FigureIds);
            string screenshot = Path.Combine(folder, "report.png");
            var png = HeadlessChromium.Screenshot(page, screenshot, 1200, 3000);
            // A page that failed to paint is one colour; a report has text, axes, points and image strips.
            Assert.IsTrue(png.Pixels.Distinct().Count() > 256, "the screenshot shows more than a blank page");
            Assert.IsTrue(png.Contains(new SkiaSharp.SKColor(0x00, 0x72, 0xB2), tolerance: 3), "the charts' blue is painted");
            TestContext.WriteLine($"screenshot: {screenshot}");
        }
        finally
        {
            if (keep is not { Length: > 0 }) Directory.Delete(folder, recursive: true);
        }
    }
}
