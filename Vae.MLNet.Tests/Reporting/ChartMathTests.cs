using Vae.MLNet.Reporting.Charts;

namespace Vae.MLNet.Tests.Reporting;

[TestClass]
public sealed class ChartMathTests
{
    private static void AssertTicks(double[] expected, IReadOnlyList<double> actual)
    {
        Assert.AreEqual(expected.Length, actual.Count, $"ticks [{string.Join(", ", actual)}]");
        for (int i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], actual[i], 1e-12, $"tick {i}");
    }

    [TestMethod]
    public void StepIsTheSmallestRoundStepThatFitsTheTickBudget()
    {
        // [0, 100] in 6 ticks: 10 needs 11 ticks, 20 needs 6.
        Assert.AreEqual(20, NiceTicks.Step(0, 100, 6), 1e-12);
        // [0.13, 0.87]: 0.1 needs 0.1..0.9 = 9 ticks; 0.2 needs 0..1 = 6.
        Assert.AreEqual(0.2, NiceTicks.Step(0.13, 0.87, 6), 1e-12);
        // [-3.7, 12.1]: 2 needs -4..14 = 10 ticks; 5 needs -5..15 = 5.
        Assert.AreEqual(5, NiceTicks.Step(-3.7, 12.1, 6), 1e-12);
        // A minimum step keeps ticks on whole numbers.
        Assert.AreEqual(1, NiceTicks.Step(1, 3, 20, minStep: 1), 1e-12);
    }

    [TestMethod]
    public void AroundExtendsTheDomainToRoundTicks()
    {
        var axis = NiceTicks.Around(0.13, 0.87);
        Assert.AreEqual((0.0, 1.0), (axis.Min, axis.Max));
        AssertTicks([0, 0.2, 0.4, 0.6, 0.8, 1.0], axis.Ticks);
        Assert.AreEqual("0.6", axis.Label(axis.Ticks[3]));

        var negative = NiceTicks.Around(-3.7, 12.1);
        AssertTicks([-5, 0, 5, 10, 15], negative.Ticks);
        Assert.AreEqual("\u22125", negative.Label(-5));
        Assert.AreEqual("0", negative.Label(-1e-17));
    }

    [TestMethod]
    public void WithinKeepsTheDomainAndPutsTicksInsideIt()
    {
        var bars = NiceTicks.Within(-0.5, 15.5, 8, minStep: 1);
        Assert.AreEqual((-0.5, 15.5), (bars.Min, bars.Max));
        AssertTicks([0, 2, 4, 6, 8, 10, 12, 14], bars.Ticks);
        AssertTicks([0, 1, 2], NiceTicks.Within(-0.5, 2.5, 8, minStep: 1).Ticks);
    }

    [TestMethod]
    public void EqualValuesGetAMarginAndNoValuesGetTheUnitRange()
    {
        var (min, max) = NiceTicks.Range([5, 5, double.NaN]);
        Assert.IsTrue(min < 5 && max > 5, $"[{min}, {max}]");
        Assert.AreEqual((0.0, 1.0), NiceTicks.Range([double.PositiveInfinity]));
    }

    [TestMethod]
    public void TickLabelsHaveJustEnoughDecimals()
    {
        Assert.AreEqual("0.05", Axis.Format(0.05, 0.05));
        Assert.AreEqual("120", Axis.Format(120, 20));
        Assert.AreEqual("1.5", Axis.Format(1.5, 0.5));
        Assert.AreEqual("\u22120.25", Axis.Format(-0.25, 0.01));
    }

    [TestMethod]
    public void HistogramBinsAreRoundAndCountEveryFiniteValue()
    {
        double[] values = [0.1, 0.2, 0.35, 0.9, 0.95, 1.0, double.NaN];
        var edges = Histogram.Edges(values, targetBins: 5);
        // [0.1, 1.0] in at most 6 edges: 0.1 would need 10, 0.2 needs 0..1.0 = 6. The last bin is closed, so 1.0 counts in it.
        AssertTicks([0, 0.2, 0.4, 0.6, 0.8, 1.0], edges);
        CollectionAssert.AreEqual(new[] { 1, 2, 0, 0, 3 }, Histogram.Counts(values, edges));
    }

    [TestMethod]
    public void PaletteCyclesColoursThenShapesAndViridisRunsFromPurpleToYellow()
    {
        Assert.AreEqual(Palette.Categorical[0], Palette.Class(8, "x").Color);
        Assert.AreEqual(MarkerShape.Square, Palette.Class(8, "x").Marker);
        Assert.AreEqual(MarkerShape.Circle, Palette.Class(7, "x").Marker);
        Assert.AreEqual(32, Enumerable.Range(0, 32).Select(i => Palette.Class(i, "")).Select(s => (s.Color, s.Marker)).Distinct().Count());
        Assert.AreEqual("#440154", Palette.Sequential(0));
        Assert.AreEqual("#FDE725", Palette.Sequential(1));
    }
}
