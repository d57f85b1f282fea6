namespace Vae.MLNet.Reporting.Charts;

/// <summary>A point of a scatter plot and the index of its style (its class).</summary>
internal readonly record struct ScatterPoint(double X, double Y, int Style);

/// <summary>Points coloured and shaped by class, drawn in the given order so that no class hides behind another.</summary>
internal static class ScatterChart
{
    /// <summary>
    /// The SVG of <paramref name="points"/>; with <paramref name="equalAspect"/> one unit spans the same length on both
    /// axes, so distances in the plot are distances in the data.
    /// </summary>
    public static string Render(ChartText text, IReadOnlyList<ScatterPoint> points, IReadOnlyList<SeriesStyle> styles, ChartSize size, bool equalAspect)
    {
        var shown = points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToArray();
        var (xMin, xMax) = NiceTicks.Range(shown.Select(p => p.X));
        var (yMin, yMax) = NiceTicks.Range(shown.Select(p => p.Y));
        if (equalAspect)
        {
            // Give both axes the data span of the wider one, scaled by the plot area's aspect ratio.
            double aspect = PlotFrame.AreaAspect(size.Width, size.Height);
            double unit = Math.Max((xMax - xMin) / aspect, yMax - yMin);
            (xMin, xMax) = Centred(xMin, xMax, unit * aspect);
            (yMin, yMax) = Centred(yMin, yMax, unit);
        }
        var frame = new PlotFrame(size.Width, size.Height, NiceTicks.Around(xMin, xMax, size.XTicks), NiceTicks.Around(yMin, yMax, size.YTicks));
        var svg = frame.Begin(text.Description, text.XTitle, text.YTitle);
        foreach (var p in shown)
        {
            var style = styles[p.Style];
            svg.Marker(style.Marker, frame.X(p.X), frame.Y(p.Y), 2.6, style.Color, "point");
        }
        return svg.ToString();
    }

    private static (double, double) Centred(double min, double max, double span) =>
        ((min + max) / 2 - span / 2, (min + max) / 2 + span / 2);
}
