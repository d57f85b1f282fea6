using System.Text.RegularExpressions;
using Microsoft.ML.Data;
using Microsoft.ML;
using Vae.MLNet.Reporting;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Reporting;

/// <summary>Reports on the other kinds of VAE: convolutional (images without options) and conditional on a key.</summary>
[TestClass]
public sealed class ReportModelKindsTests
{
    private sealed class ImageRow
    {
        [VectorType(64)] public float[] Pixels { get; set; } = [];
        public float Label { get; set; }
    }

    /// <summary>8×8 images of a soft blob whose position depends on the class.</summary>
    private static ImageRow[] Blobs(int rows)
    {
        var random = new Random(5);
        return Enumerable.Range(0, rows).Select(_ =>
        {
            int label = random.Next(2);
            double cx = label == 0 ? 2.5 : 5.5, cy = 3.5 + random.NextDouble() - 0.5;
            var pixels = Enumerable.Range(0, 64).Select(i => (float)Math.Exp(-((i % 8 - cx) * (i % 8 - cx) + (i / 8 - cy) * (i / 8 - cy)) / 3)).ToArray();
            return new ImageRow { Pixels = pixels, Label = label };
        }).ToArray();
    }

    [TestMethod]
    public void ConvolutionalVaeIsShownAsImagesOfItsOwnShape()
    {
        var ml = new MLContext(seed: 5);
        var data = ml.Data.LoadFromEnumerable(Blobs(128));
        using var model = ml.Transforms.VaeEncode(new VaeOptions
        {
            InputColumnName = "Pixels", Architecture = VaeArchitecture.Convolutional, ImageShape = [1, 8, 8], HiddenDimensions = [4, 8],
            LatentDimension = 2, Likelihood = VaeLikelihood.Bernoulli, Epochs = 2, BatchSize = 32, Seed = 5,
        }).Fit(data);
        string html = VaeReport.Render(model, data, new VaeReportOptions { MeasureAmortizationGap = false, ReconstructionCount = 3 });
        // Image strips (not charts): originals, reconstructions, samples, 2 traversals (a 2-D latent space), and the interpolation's three rows.
        var strips = Regex.Matches(html, "<img src=\"data:image/png;base64,([^\"]+)\"");
        Assert.AreEqual(3 + 2 + 3, strips.Count, "originals, reconstructions, samples, traversals, interpolation");
        var originals = PngImage.FromBase64(strips[0].Groups[1].Value);
        Assert.AreEqual((3 * 9 - 1, 8, true), (originals.Width, originals.Height, originals.Gray));
        StringAssert.Contains(html, "<dd>Convolutional (channels 4–8)</dd>");
        StringAssert.Contains(html, "<dd>64 (1×8×8 image)</dd>");
        StringAssert.Contains(html, "shown in the latent space itself");
    }

    [TestMethod]
    public void ConditionalVaeSamplesEachClassInTurn()
    {
        var ml = new MLContext(seed: 6);
        var keyed = ml.Transforms.Conversion.MapValueToKey("KindKey", "Kind").Fit(ml.Data.LoadFromEnumerable(ReportTestData.Generate(200, seed: 6)));
        var data = keyed.Transform(ml.Data.LoadFromEnumerable(ReportTestData.Generate(200, seed: 6)));
        using var model = ml.Transforms.VaeEncode(new VaeOptions
        {
            ConditionColumnName = "KindKey", LatentDimension = 2, HiddenDimensions = [16], Epochs = 2, BatchSize = 32, Seed = 6,
        }).Fit(data);
        var options = new VaeReportOptions { MeasureAmortizationGap = false, SampleCount = 4, LabelColumnName = "KindKey" };
        var content = VaeReport.Build(model, data, options);
        var figures = content.Figures.ToDictionary(f => f.Id);
        StringAssert.Contains(figures["samples"].Caption, "sample i conditioned on class i mod 3 of 'KindKey'");
        CollectionAssert.AreEqual(new[] { "Sample 1", "Sample 2", "Sample 3", "Sample 4" }, figures["samples"].Charts.Select(c => c.Plot.Axes.Title.Label.Text).ToArray());
        StringAssert.Contains(content.Summary, "<dt>Condition size</dt><dd>3</dd>");
        // Key labels are named by their key values.
        CollectionAssert.AreEquivalent(ReportTestData.Kinds, figures["latent"].Charts.Single().Plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Select(s => s.LegendText).ToArray());
        // Traversals and interpolation decode with the first row's condition: a path within its class.
        Assert.AreEqual(2, figures["traversals"].Charts.Count, "both latent dimensions");
        StringAssert.Contains(figures["interpolation"].Caption, "both decoded with row 1's condition");
    }
}
