using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.ML;
using Vae.MLNet.Reporting;

namespace Vae.MLNet.Tests.Reporting;

/// <summary>
/// Opens a report in headless Chromium: the page's self-test (the <c>#selftest</c> fragment) measures every figure,
/// which the DOM dump shows; a screenshot proves the page paints. Inconclusive where Chromium is not installed.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed partial class BrowserCheckTests
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan BrowserTimeout = TimeSpan.FromSeconds(90);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void EveryFigureRendersWithANonZeroSizeAndNoScriptError()
    {
        if (!File.Exists(Chromium))
            Assert.Inconclusive($"{Chromium} is not installed, so the report was not checked in a browser (Debian: apt-get install chromium).");
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
            // Images as well as line plots: the browser must decode the inline PNGs.
            VaeReport.Write(model, data, page, new VaeReportOptions { ImageShape = [1, 4, 5], AmortizationGapRows = 40, AmortizationGapSteps = 5 });
            string url = new Uri(page).AbsoluteUri;

            string dom = RunChromium("--dump-dom", url + "#selftest");
            var selfTest = SelfTestRegex().Match(dom);
            Assert.IsTrue(selfTest.Success, $"the self-test wrote nothing; DOM starts: {dom[..Math.Min(dom.Length, 400)]}");
            string report = System.Net.WebUtility.HtmlDecode(selfTest.Groups[1].Value);
            TestContext.WriteLine(report);
            Assert.IsFalse(report.Contains("error "), report);
            var figures = FigureLineRegex().Matches(report);
            CollectionAssert.AreEqual(new[] { "training", "reconstructions", "samples", "latent", "kl", "amortization", "traversals", "interpolation" },
                figures.Select(m => m.Groups[1].Value).ToArray());
            foreach (Match figure in figures)
            {
                string id = figure.Groups[1].Value;
                Assert.IsTrue(int.Parse(figure.Groups[2].Value) > 0 && int.Parse(figure.Groups[3].Value) > 0, $"figure {id} has no size: {figure.Value}");
                Assert.IsTrue(int.Parse(figure.Groups[4].Value) > 0, $"figure {id} has no chart or image");
                Assert.AreEqual("0", figure.Groups[5].Value, $"figure {id} has a chart or image of zero size");
                Assert.AreEqual("0", figure.Groups[6].Value, $"figure {id} has an image the browser could not decode");
            }

            string screenshot = Path.Combine(folder, "report.png");
            RunChromium($"--screenshot={screenshot}", "--window-size=1200,3000", "--hide-scrollbars", url);
            var png = PngImage.Read(File.ReadAllBytes(screenshot));
            Assert.AreEqual((1200, 3000), (png.Width, png.Height), "screenshot size");
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

    private static string RunChromium(params string[] arguments)
    {
        // A fresh profile per run, so nothing of an earlier run (or of the user's browser) leaks in.
        string profile = Directory.CreateTempSubdirectory("chromium-profile-").FullName;
        try
        {
            return Launch(profile, arguments);
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    private static string Launch(string profile, string[] arguments)
    {
        var start = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (string a in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}",
        }.Concat(arguments))
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(BrowserTimeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"Chromium did not finish within {BrowserTimeout.TotalSeconds} s.");
        }
        Assert.AreEqual(0, process.ExitCode, $"Chromium failed: {errors.Result}");
        return output.Result;
    }

    [GeneratedRegex("<pre id=\"selftest\">(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex SelfTestRegex();

    [GeneratedRegex("figure (\\w+) (\\d+)x(\\d+) parts=(\\d+) empty=(\\d+) broken=(\\d+)")]
    private static partial Regex FigureLineRegex();
}
