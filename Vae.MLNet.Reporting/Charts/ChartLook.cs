using ScottPlot;
using SkiaSharp;

namespace Vae.MLNet.Reporting.Charts;

/// <summary>
/// The look every chart of the report shares: a sans-serif font the machine has, the colour-blind-safe categorical
/// palette of Okabe and Ito (ScottPlot's <c>ColorblindFriendly</c>, black moved last so it does not read as ink), and
/// viridis for ordered values.
/// </summary>
internal static class ChartLook
{
    private static readonly string[] SansFamilies = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "Segoe UI"];
    private static readonly Lazy<string?> Sans = new(() =>
        SansFamilies.FirstOrDefault(f => SKFontManager.Default.FontFamilies.Contains(f, StringComparer.OrdinalIgnoreCase)));

    /// <summary>Okabe–Ito in the order that contrasts most on white first (pale yellow and black come last).</summary>
    public static readonly IReadOnlyList<Color> Categorical = Reordered(new ScottPlot.Palettes.ColorblindFriendly().Colors);

    /// <summary>Inputs: originals, the training loss, the gap's rows.</summary>
    public static Color Blue => Categorical[0];

    /// <summary>A second series colour.</summary>
    public static Color Orange => Categorical[1];

    /// <summary>A third series colour.</summary>
    public static Color Green => Categorical[2];

    /// <summary>Model outputs: reconstructions, the validation loss, the mean gap.</summary>
    public static Color Vermillion => Categorical[3];

    /// <summary>Neutral ink for reference lines and the "other" class.</summary>
    public static readonly Color Grey = Color.FromHex("#777777");

    /// <summary>Filled marker shapes; classes beyond the palette's colours take the next one.</summary>
    public static readonly IReadOnlyList<MarkerShape> Markers = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond];

    /// <summary>The viridis colour at <paramref name="t"/> in [0, 1] (dark purple to yellow).</summary>
    public static Color Sequential(double t) => new ScottPlot.Colormaps.Viridis().GetColor(Math.Clamp(double.IsFinite(t) ? t : 0, 0, 1));

    /// <summary>A new plot with the report's font, axis titles and a light grid.</summary>
    public static Plot NewPlot(string xTitle, string yTitle)
    {
        var plot = new Plot();
        if (Sans.Value is { } family) plot.Font.Set(family);
        plot.XLabel(xTitle, size: 13);
        plot.YLabel(yTitle, size: 13);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 11;
        plot.Axes.Left.TickLabelStyle.FontSize = 11;
        // Fewer, rounder ticks than ScottPlot's default density: axes read at a glance, as the figures' text does.
        plot.Axes.Bottom.TickGenerator = Ticks();
        plot.Axes.Left.TickGenerator = Ticks();
        plot.Grid.MajorLineColor = Color.FromHex("#e9ecef");
        return plot;
    }

    /// <summary>A tick generator at about a third of ScottPlot's default density (which counts pixels, and the PNG has twice as many); <paramref name="integers"/> for counts such as epochs.</summary>
    public static ScottPlot.TickGenerators.NumericAutomatic Ticks(bool integers = false) => new() { TickDensity = 0.35, IntegerTicksOnly = integers };

    /// <summary>Shows the legend in a corner, framed lightly.</summary>
    public static void Legend(Plot plot, Alignment corner = Alignment.UpperRight)
    {
        plot.ShowLegend(corner);
        plot.Legend.FontSize = 11;
        plot.Legend.OutlineColor = Color.FromHex("#d1d9e0");
        plot.Legend.ShadowColor = Colors.Transparent;
    }

    private static Color[] Reordered(Color[] okabeIto)
    {
        // ScottPlot's order: black, orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple.
        string[] order = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"];
        return order.Select(hex => okabeIto.Single(c => c.ToHex().Equals(hex, StringComparison.OrdinalIgnoreCase))).ToArray();
    }
}
