using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML;
using ScottPlot;
using ScottPlot.Plottables;
using Vae.MLNet.Reporting;
using Vae.MLNet.Reporting.Charts;
using Vae.MLNet.Reporting.Figures;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Reporting;

[TestClass]
public sealed partial class VaeReportTests
{
    private static readonly string[] FigureIds = ["training", "reconstructions", "samples", "latent", "kl", "amortization", "traversals", "interpolation"];
    private static MLContext _ml = null!;
    private static IDataView _data = null!;
    private static VaeTransformer _model = null!;

    [ClassInitialize]
    public static void Train(TestContext _)
    {
        _ml = new MLContext(seed: 1);
        _data = _ml.Data.LoadFromEnumerable(ReportTestData.Generate(300));
        _model = _ml.Transforms.VaeEncode(new VaeOptions
        {
            LatentDimension = 3, HiddenDimensions = [16], Likelihood = VaeLikelihood.Bernoulli, Epochs = 2, BatchSize = 32,
            LearningRate = 3e-3, ValidationFraction = 0.2, Seed = 1,
        }).Fit(_data);
    }

    [ClassCleanup]
    public static void Cleanup() => _model?.Dispose();

    /// <summary>A cheap report: few gap steps, so each test stays fast.</summary>
    private static VaeReportOptions Quick() => new() { AmortizationGapRows = 40, AmortizationGapSteps = 5 };

    /// <summary>The HTML of each figure, by id.</summary>
    private static Dictionary<string, string> Figures(string html) =>
        FigureRegex().Matches(html).ToDictionary(m => m.Groups[1].Value, m => m.Value);

    /// <summary>The figures built for a report, by id, with the ScottPlot charts in them.</summary>
    private static Dictionary<string, ReportFigure> Built(VaeReportOptions options, IDataView? data = null) =>
        VaeReport.Build(_model, data ?? _data, options).Figures.ToDictionary(f => f.Id);

    [GeneratedRegex("<figure class=\"figure\" id=\"([a-z]+)\".*?</figure>", RegexOptions.Singleline)]
    private static partial Regex FigureRegex();

    [GeneratedRegex("<img class=\"chart\" data-chart=\"([^\"]+)\" src=\"data:image/png;base64,([^\"]+)\" width=\"(\\d+)\" height=\"(\\d+)\"")]
    private static partial Regex ChartImageRegex();

    private static string[] Legend(Chart chart) => chart.Plot.GetPlottables().OfType<Scatter>().Select(s => s.LegendText).ToArray();

    [TestMethod]
    public void ReportHasEveryFigureWithItsChartsAndCaptions()
    {
        string html = VaeReport.Render(_model, _data, Quick());
        var figures = Figures(html);
        CollectionAssert.AreEqual(FigureIds, figures.Keys.ToArray());
        foreach (var (id, figure) in figures)
        {
            StringAssert.Matches(figure, new Regex("<img class=\"chart\" data-chart=", RegexOptions.Singleline), $"figure {id} has a chart");
            StringAssert.Matches(figure, new Regex("<figcaption>.*How to read.*</figcaption>", RegexOptions.Singleline), $"figure {id} says how to read it");
            // Every chart is a PNG that decodes, at twice its page size.
            foreach (Match image in ChartImageRegex().Matches(figure))
            {
                var png = PngImage.FromBase64(image.Groups[2].Value);
                Assert.AreEqual((2 * int.Parse(image.Groups[3].Value), 2 * int.Parse(image.Groups[4].Value)), (png.Width, png.Height), $"chart {image.Groups[1].Value}");
                Assert.IsTrue(png.Pixels.Distinct().Count() > 8, $"chart {image.Groups[1].Value} is drawn");
            }
        }
    }

    [TestMethod]
    public void ChartsHoldTheSeriesTheFiguresDescribe()
    {
        var figures = Built(Quick());
        var metrics = _model.Evaluate(_data);

        // 1: loss, reconstruction, KL and validation curves with axis titles; the right chart repeats the KL alone.
        var training = figures["training"].Charts;
        Assert.AreEqual(2, training.Count);
        CollectionAssert.AreEqual(new[] { "training loss", "reconstruction", "KL divergence", "validation loss (−ELBO)" }, Legend(training[0]));
        CollectionAssert.AreEqual(new[] { "KL divergence" }, Legend(training[1]));
        Assert.AreEqual("epoch", training[0].Plot.Axes.Bottom.Label.Text);
        Assert.AreEqual("nats per row", training[0].Plot.Axes.Left.Label.Text);
        var loss = training[0].Plot.GetPlottables().OfType<Scatter>().First().Data.GetScatterPoints();
        CollectionAssert.AreEqual(_model.TrainingHistory.Select(e => e.Loss).ToArray(), loss.Select(p => p.Y).ToArray(), "the loss per epoch");
        Assert.AreEqual(LinePattern.Dashed, training[0].Plot.GetPlottables().OfType<Scatter>().Last().LinePattern, "validation dashed");

        // 2 and 3: vector data gets line panels (6 of the 8 rows), original against reconstruction.
        Assert.AreEqual(6, figures["reconstructions"].Charts.Count);
        Assert.IsTrue(figures["reconstructions"].Charts.All(c => Legend(c).SequenceEqual(["original", "reconstruction"])));
        Assert.AreEqual(20, figures["reconstructions"].Charts[0].Plot.GetPlottables().OfType<Scatter>().First().Data.GetScatterPoints().Count, "20 features");
        Assert.AreEqual(6, figures["samples"].Charts.Count);

        // 4: three label classes, in a PCA projection of the 3-D latent space, one point per row.
        var latent = figures["latent"].Charts.Single();
        CollectionAssert.AreEqual(new[] { "0", "1", "2" }, Legend(latent));
        StringAssert.StartsWith(latent.Plot.Axes.Bottom.Label.Text, "PC 1 (");
        Assert.AreEqual(300, latent.Plot.GetPlottables().OfType<Scatter>().Sum(s => s.Data.GetScatterPoints().Count));

        // 5: one bar per latent dimension with its KL; 6: a histogram of 40 rows with the mean marked.
        var bars = figures["kl"].Charts.Single().Plot.GetPlottables().OfType<BarPlot>().Single().Bars;
        CollectionAssert.AreEqual(metrics.KlPerDimension.ToArray(), bars.Select(b => b.Value).ToArray());
        StringAssert.Contains(figures["kl"].Caption, " units are active");
        var gapPlot = figures["amortization"].Charts.Single().Plot;
        Assert.AreEqual(40, gapPlot.GetPlottables().OfType<HistogramBars>().Single().Bars.Sum(b => b.Value), "every measured row lands in a bin");
        Assert.AreEqual("mean gap", gapPlot.GetPlottables().OfType<VerticalLine>().First().LegendText);

        // 7: the 3 dimensions, largest KL first, each at 5 values; 8: 10 points between two rows of different labels.
        var byKl = metrics.KlPerDimension.Select((kl, j) => (kl, j)).OrderByDescending(p => p.kl).Select(p => $"traversal-z{p.j}").ToArray();
        CollectionAssert.AreEqual(byKl, figures["traversals"].Charts.Select(c => c.Name).ToArray());
        Assert.AreEqual(5, figures["traversals"].Charts[0].Plot.GetPlottables().OfType<Scatter>().Count());
        Assert.AreEqual(10, figures["interpolation"].Charts.Single().Plot.GetPlottables().OfType<Scatter>().Count());
        StringAssert.Matches(figures["interpolation"].Caption, new Regex("labels (\\d) and (?!\\1)\\d"), "the path joins two classes");
    }

    [TestMethod]
    public void TheLatentChartShowsEachClassInItsColour()
    {
        var latent = Built(Quick())["latent"].Charts.Single();
        var png = PngImage.Read(latent.Png());
        // Points are drawn at 80 % opacity on white.
        foreach (var color in latent.Plot.GetPlottables().OfType<Scatter>().Select(s => s.MarkerFillColor))
        {
            var expected = new SkiaSharp.SKColor(Blend(color.R), Blend(color.G), Blend(color.B));
            Assert.IsTrue(png.Contains(expected, tolerance: 6), $"a point of colour {color.ToHex()}");
        }
        static byte Blend(byte c) => (byte)Math.Round(c * 0.8 + 255 * 0.2);
    }

    [TestMethod]
    public void HeaderShowsTheModelAndTheEvaluationNumbers()
    {
        string html = VaeReport.Render(_model, _data, Quick());
        var metrics = _model.Evaluate(_data);
        StringAssert.Contains(html, "<dt>Architecture</dt><dd>MLP (hidden layers 16)</dd>");
        StringAssert.Contains(html, "<dt>Likelihood</dt><dd>Bernoulli</dd>");
        StringAssert.Contains(html, "<dt>Input size</dt><dd>20</dd>");
        StringAssert.Contains(html, "<dt>Latent size</dt><dd>3</dd>");
        StringAssert.Contains(html, $"<dt>Training</dt><dd>{_model.TrainingHistory.Count} epochs");
        StringAssert.Contains(html, "Evaluation on 300 rows");
        // The KL is computed in closed form on the latent means, so it is the same on every evaluation.
        StringAssert.Contains(html, $"<dt>KL divergence</dt><dd>{metrics.KlDivergence.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)} nats</dd>");
        StringAssert.Contains(html, $"<dt>Active units</dt><dd>{metrics.ActiveUnits} of 3</dd>");
        StringAssert.Contains(html, "<dt>Amortization gap</dt>");
    }

    [TestMethod]
    public void PageFetchesNothingFromOutside()
    {
        string html = VaeReport.Render(_model, _data, Quick());
        Assert.IsFalse(Regex.IsMatch(html, "(src|href)=\"(?!data:image/png;base64,|#)"), "every src and href is inline data or an anchor");
        Assert.IsFalse(Regex.IsMatch(html, "<link|@import|url\\(|<script[^>]*src", RegexOptions.IgnoreCase), "no linked styles or scripts");
        string text = Regex.Replace(html, "data:image/png;base64,[A-Za-z0-9+/=]+", "");
        Assert.IsFalse(text.Contains("http", StringComparison.Ordinal), "no URL anywhere in the page outside the inline images");
    }

    [TestMethod]
    public void ImageShapeTurnsVectorsIntoImageStrips()
    {
        var options = Quick();
        options.ImageShape = [1, 4, 5];
        options.ReconstructionCount = 5;
        options.SampleCount = 7;
        var figures = Figures(VaeReport.Render(_model, _data, options));
        var strips = Regex.Matches(figures["reconstructions"], "src=\"data:image/png;base64,([^\"]+)\" width=\"(\\d+)\" height=\"(\\d+)\"");
        Assert.AreEqual(2, strips.Count, "originals and reconstructions");
        var image = PngImage.FromBase64(strips[0].Groups[1].Value);
        Assert.AreEqual((5 * 6 - 1, 4, true), (image.Width, image.Height, image.Gray), "five 4×5 gray tiles, a pixel apart");
        Assert.AreEqual(0, int.Parse(strips[0].Groups[2].Value) % image.Width, "enlarged by a whole factor");
        StringAssert.Contains(figures["reconstructions"], "row-label\">Original<");
        StringAssert.Contains(figures["reconstructions"], "row-label\">Reconstruction<");

        var samples = Regex.Match(figures["samples"], "src=\"data:image/png;base64,([^\"]+)\"");
        Assert.AreEqual(7 * 6 - 1, PngImage.FromBase64(samples.Groups[1].Value).Width, "seven samples");
        // Traversals: one strip of 9 images per latent dimension; the interpolation: the two rows, then 10 points twice.
        var traversals = Regex.Matches(figures["traversals"], "src=\"data:image/png;base64,([^\"]+)\"");
        Assert.AreEqual(3, traversals.Count);
        Assert.AreEqual(9 * 6 - 1, PngImage.FromBase64(traversals[0].Groups[1].Value).Width);
        var path = Regex.Matches(figures["interpolation"], "src=\"data:image/png;base64,([^\"]+)\"").Select(m => PngImage.FromBase64(m.Groups[1].Value).Width).ToArray();
        CollectionAssert.AreEqual(new[] { 2 * 6 - 1, 10 * 6 - 1, 10 * 6 - 1 }, path);
        StringAssert.Contains(figures["interpolation"], "row-label\">Spherical<");
    }

    [TestMethod]
    public void BadImageShapeIsRejectedWithTheExpectedSize()
    {
        var options = Quick();
        options.ImageShape = [1, 4, 4];
        var error = Assert.ThrowsExactly<ArgumentException>(() => VaeReport.Render(_model, _data, options));
        StringAssert.Contains(error.Message, "input size 20");
        options.ImageShape = [2, 2, 5];
        Assert.ThrowsExactly<ArgumentException>(() => VaeReport.Render(_model, _data, options));
    }

    [TestMethod]
    public void TextLabelsColourTheFirstTwoLatentDimensions()
    {
        var options = Quick();
        options.LabelColumnName = "Kind";
        options.UseFirstLatentDimensions = true;
        var latent = Built(options)["latent"];
        CollectionAssert.AreEqual(ReportTestData.Kinds, Legend(latent.Charts.Single()));
        Assert.AreEqual("z₀ (latent mean)", latent.Charts.Single().Plot.Axes.Bottom.Label.Text);
        StringAssert.Contains(latent.Caption, "values of 'Kind' (3 classes)");
        // Three classes, three colours among the points, and the points are the latent means' first two dimensions.
        var scatters = latent.Charts.Single().Plot.GetPlottables().OfType<Scatter>().ToArray();
        Assert.AreEqual(3, scatters.Select(s => s.MarkerFillColor).Distinct().Count());
        var means = _ml.Data.CreateEnumerable<MeanRow>(_model.Transform(_data), reuseRowObject: false).Select(r => (double)r.LatentMean[0]).Order().ToArray();
        CollectionAssert.AreEqual(means, scatters.SelectMany(s => s.Data.GetScatterPoints()).Select(p => p.X).Order().ToArray());
    }

    [TestMethod]
    public void NumericKeysAreNamedByTheirKeyValuesInKeyOrder()
    {
        // Keys by occurrence: key 1 is the first row's label, so only the KeyValues annotation can name the classes right.
        var keyed = _ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label").Fit(_data).Transform(_data);
        var options = Quick();
        options.MeasureAmortizationGap = false;
        options.LabelColumnName = "LabelKey";
        var latent = Built(options, keyed)["latent"];
        var labels = _ml.Data.CreateEnumerable<ReportRow>(_data, reuseRowObject: false).Select(r => r.Label.ToString(CultureInfo.InvariantCulture)).Distinct().ToArray();
        Assert.AreNotEqual("0", labels[0], "the data must start with a label other than 0 for this test to tell names from key indices");
        var legend = Legend(latent.Charts.Single());
        CollectionAssert.AreEqual(labels, legend, "legend in key order, named by value");
    }

    [TestMethod]
    public void LabelColumnIsOptionalByDefaultButRequiredWhenNamed()
    {
        var options = Quick();
        options.LabelColumnName = null;
        var latent = Built(options)["latent"];
        StringAssert.Contains(latent.Caption, "No label column was found");
        CollectionAssert.AreEqual(new[] { "row" }, Legend(latent.Charts.Single()), "one class for every row");
        options.LabelColumnName = "Missing";
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => VaeReport.Render(_model, _data, options));
        StringAssert.Contains(error.Message, "'Missing'");
    }

    [TestMethod]
    public void AmortizationGapCanBeSkipped()
    {
        var options = Quick();
        options.MeasureAmortizationGap = false;
        string html = VaeReport.Render(_model, _data, options);
        StringAssert.Contains(Figures(html)["amortization"], "Not measured");
        Assert.IsFalse(html.Contains("<dt>Amortization gap</dt>"));
    }

    [TestMethod]
    public void WritesToAFileAndToAStreamThatStaysOpen()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vae-report-{Guid.NewGuid():N}.html");
        try
        {
            VaeReport.Write(_model, _data, path, Quick());
            string text = File.ReadAllText(path);
            StringAssert.StartsWith(text, "<!DOCTYPE html>");
            StringAssert.Contains(text, "<title>VAE training report</title>");
        }
        finally
        {
            File.Delete(path);
        }
        using var stream = new MemoryStream();
        var options = Quick();
        options.Title = "Run <7>";
        VaeReport.Write(_model, _data, stream, options);
        Assert.IsTrue(stream.CanWrite, "the stream stays open");
        string html = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        StringAssert.Contains(html, "<h1>Run &lt;7&gt;</h1>");
        Assert.AreNotEqual(0xEF, stream.ToArray()[0], "no byte-order mark");
    }

    [TestMethod]
    public void SamplesAreReproducibleForASeed()
    {
        var options = Quick();
        options.MeasureAmortizationGap = false;
        string Samples() => Figures(VaeReport.Render(_model, _data, options))["samples"];
        Assert.AreEqual(Samples(), Samples());
    }

    private sealed class MeanRow
    {
        public float[] LatentMean { get; set; } = [];
    }
}
