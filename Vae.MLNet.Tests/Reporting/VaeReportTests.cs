using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML;
using Vae.MLNet.Reporting;

namespace Vae.MLNet.Tests.Reporting;

[TestClass]
public sealed partial class VaeReportTests
{
    private static readonly string[] FigureIds = ["training", "reconstructions", "samples", "latent", "kl", "amortization"];
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

    [GeneratedRegex("<figure class=\"figure\" id=\"([a-z]+)\".*?</figure>", RegexOptions.Singleline)]
    private static partial Regex FigureRegex();

    [TestMethod]
    public void ReportHasEveryFigureWithItsChartsLegendsAndCaptions()
    {
        string html = VaeReport.Render(_model, _data, Quick());
        var figures = Figures(html);
        CollectionAssert.AreEqual(FigureIds, figures.Keys.ToArray());
        foreach (var (id, figure) in figures)
        {
            StringAssert.Contains(figure, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\"", $"figure {id} has a chart");
            StringAssert.Matches(figure, new Regex("<figcaption>.*How to read.*</figcaption>", RegexOptions.Singleline), $"figure {id} says how to read it");
        }

        // 1: loss, reconstruction, KL and validation curves with axis titles; the right chart repeats the KL alone.
        foreach (string name in new[] { "training loss", "reconstruction", "KL divergence", "validation loss (−ELBO)" })
            StringAssert.Contains(figures["training"], $"</svg>{name}</span>", $"legend key {name}");
        StringAssert.Contains(figures["training"], ">epoch</text>");
        StringAssert.Contains(figures["training"], ">nats per row</text>");
        Assert.AreEqual(4 + 1, Regex.Matches(figures["training"], "<polyline").Count, "four curves on the left, the KL again on the right");

        // 2 and 3: vector data gets line panels (6 of the 8 rows), original against reconstruction.
        Assert.AreEqual(6, Regex.Matches(figures["reconstructions"], "class=\"panel-title\">Row \\d").Count);
        Assert.AreEqual(6, Regex.Matches(figures["samples"], "class=\"panel-title\">Sample \\d").Count);

        // 4: three label classes, in a PCA projection of the 3-D latent space, one point per row.
        foreach (string label in new[] { "0", "1", "2" }) StringAssert.Contains(figures["latent"], $"</svg>{label}</span>");
        StringAssert.Contains(figures["latent"], "PC 1 (");
        Assert.AreEqual(300, Regex.Matches(figures["latent"], "class=\"point\"").Count);

        // 5: one bar per latent dimension; 6: a histogram of 40 rows.
        Assert.AreEqual(3, Regex.Matches(figures["kl"], "<title>z\\d: ").Count);
        StringAssert.Contains(figures["kl"], " units are active");
        int counted = Regex.Matches(figures["amortization"], "<title>\\[[^<]*\\): (\\d+) rows</title>").Sum(m => int.Parse(m.Groups[1].Value));
        Assert.AreEqual(40, counted, "every measured row lands in a bin");
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
        Assert.AreEqual(Regex.Matches(html, "xmlns=\"http://www.w3.org/2000/svg\"").Count, Regex.Matches(html, "http").Count,
            "the only URLs are SVG namespace names");
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
        var image = PngReader.Read(Convert.FromBase64String(strips[0].Groups[1].Value));
        Assert.AreEqual((5 * 6 - 1, 4, 0), (image.Width, image.Height, image.ColorType), "five 4×5 gray tiles, a pixel apart");
        Assert.AreEqual(0, int.Parse(strips[0].Groups[2].Value) % image.Width, "enlarged by a whole factor");
        StringAssert.Contains(figures["reconstructions"], "row-label\">Original<");
        StringAssert.Contains(figures["reconstructions"], "row-label\">Reconstruction<");

        var samples = Regex.Match(figures["samples"], "src=\"data:image/png;base64,([^\"]+)\"");
        Assert.AreEqual(7 * 6 - 1, PngReader.Read(Convert.FromBase64String(samples.Groups[1].Value)).Width, "seven samples");
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
        string latent = Figures(VaeReport.Render(_model, _data, options))["latent"];
        foreach (string kind in ReportTestData.Kinds) StringAssert.Contains(latent, $"</svg>{kind}</span>");
        StringAssert.Contains(latent, ">z₀ (latent mean)</text>");
        StringAssert.Contains(latent, "values of 'Kind' (3 classes)");
        // Three classes, three colours among the points.
        Assert.AreEqual(3, Regex.Matches(latent, "fill=\"(#[0-9A-F]{6})\" class=\"point\"").Select(m => m.Groups[1].Value).Distinct().Count());
    }

    [TestMethod]
    public void NumericKeysAreNamedByTheirKeyValuesInKeyOrder()
    {
        // Keys by occurrence: key 1 is the first row's label, so only the KeyValues annotation can name the classes right.
        var keyed = _ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label").Fit(_data).Transform(_data);
        var options = Quick();
        options.MeasureAmortizationGap = false;
        options.LabelColumnName = "LabelKey";
        string latent = Figures(VaeReport.Render(_model, keyed, options))["latent"];
        var labels = _ml.Data.CreateEnumerable<ReportRow>(_data, reuseRowObject: false).Select(r => r.Label.ToString(CultureInfo.InvariantCulture)).Distinct().ToArray();
        Assert.AreNotEqual("0", labels[0], "the data must start with a label other than 0 for this test to tell names from key indices");
        var legend = Regex.Matches(latent, "</svg>([^<]+)</span>").Select(m => m.Groups[1].Value).ToArray();
        CollectionAssert.AreEqual(labels, legend, "legend in key order, named by value");
    }

    [TestMethod]
    public void LabelColumnIsOptionalByDefaultButRequiredWhenNamed()
    {
        var options = Quick();
        options.LabelColumnName = null;
        StringAssert.Contains(Figures(VaeReport.Render(_model, _data, options))["latent"], "No label column was found");
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
}
