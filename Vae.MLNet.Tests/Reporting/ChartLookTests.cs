using ScottPlot;
using Vae.MLNet.Reporting.Charts;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Reporting;

[TestClass]
public sealed class ChartLookTests
{
    [TestMethod]
    public void RoundRangesCoverTheValuesWithTheFewestRoundEdges()
    {
        var ranges = RoundRanges.Cover(0, 9.9, 6);
        Assert.AreEqual((0.0, 2.0, 5), (ranges.First, ranges.Step, ranges.Count), "step 1 needs 10 ranges; step 2 covers [0, 10] in 5");
        Assert.AreEqual(0, ranges.Of(1.99));
        Assert.AreEqual(1, ranges.Of(2.0));
        Assert.AreEqual(4, ranges.Of(10), "the top edge clamps into the last range");
        var fine = RoundRanges.Cover(-0.3, 0.3, 12);
        Assert.AreEqual(0.05, fine.Step, 1e-12);
        Assert.AreEqual("\u22120.25", fine.Label(fine.Edge(1)), "a 0.05 step needs two decimals; the label keeps the true minus");
        var single = RoundRanges.Cover(5, 5, 6);
        Assert.IsTrue(single.Edge(0) <= 5 && single.Edge(single.Count) >= 5, "a single value gets a range around it");
    }

    [TestMethod]
    public void ClassesCycleOkabeItoColoursThenMarkerShapes()
    {
        Assert.AreEqual(Color.FromHex("#0072B2"), ClassStyle.Of(0, "a").Color, "blue first");
        Assert.AreEqual(ClassStyle.Of(0, "a").Color, ClassStyle.Of(8, "x").Color);
        Assert.AreEqual(MarkerShape.FilledSquare, ClassStyle.Of(8, "x").Marker);
        Assert.AreEqual(MarkerShape.FilledCircle, ClassStyle.Of(7, "x").Marker);
        Assert.AreEqual(32, Enumerable.Range(0, 32).Select(i => ClassStyle.Of(i, "")).Select(s => (s.Color, s.Marker)).Distinct().Count());
        Assert.AreEqual("#440154", ChartLook.Sequential(0).ToHex()[..7].ToUpperInvariant(), "viridis starts dark purple");
        var end = ChartLook.Sequential(1);
        Assert.IsTrue(end.R > 240 && end.G > 220 && end.B < 60, $"and ends yellow, got {end.ToHex()}");
    }

    [TestMethod]
    public void ChartRendersAtTwiceItsPageSize()
    {
        var plot = ChartLook.NewPlot("x", "y");
        plot.Add.Scatter(new double[] { 0, 1, 2 }, new double[] { 0, 1, 4 }, ChartLook.Vermillion);
        var chart = new Chart("test", plot, 300, 200, "a test <chart>");
        var png = PngImage.Read(chart.Png());
        Assert.AreEqual((600, 400), (png.Width, png.Height));
        Assert.IsTrue(png.Contains(new SkiaSharp.SKColor(0xD5, 0x5E, 0x00)), "the line is drawn in its colour");
        StringAssert.Contains(chart.Html(), "width=\"300\" height=\"200\" alt=\"a test &lt;chart&gt;\"");
    }
}
