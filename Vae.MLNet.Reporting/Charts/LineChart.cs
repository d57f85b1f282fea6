namespace Vae.MLNet.Reporting.Charts;

/// <summary>One line of a line chart: its style and its points (non-finite points are left out).</summary>
internal sealed record LineSeries(SeriesStyle Style, IReadOnlyList<(double X, double Y)> Points);

/// <summary>Lines over a shared pair of axes, with optional point markers (useful when there are few points).</summary>
internal static class LineChart
{
    /// <summary>The SVG of <paramref name="series"/>; <paramref name="integerX"/> keeps x ticks on whole numbers (epochs, indices).</summary>
    public static string Render(ChartText text, IReadOnlyList<LineSeries> series, ChartSize size, bool markers = false, bool integerX = false)
    {
        var finite = series.Select(s => s with { Points = s.Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToArray() }).ToArray();
        var (xMin, xMax) = NiceTicks.Range(finite.SelectMany(s => s.Points.Select(p => p.X)));
        var (yMin, yMax) = NiceTicks.Range(finite.SelectMany(s => s.Points.Select(p => p.Y)));
        var frame = new PlotFrame(size.Width, size.Height,
            NiceTicks.Around(xMin, xMax, size.XTicks, integerX ? 1 : 0), NiceTicks.Around(yMin, yMax, size.YTicks));
        var svg = frame.Begin(text.Description, text.XTitle, text.YTitle);
        foreach (var s in finite)
        {
            var points = s.Points.Select(p => (frame.X(p.X), frame.Y(p.Y))).ToArray();
            if (points.Length > 1) svg.Polyline(points, s.Style.Color, s.Style.Dashed);
            if (markers || points.Length == 1)
                foreach (var (x, y) in points) svg.Marker(s.Style.Marker, x, y, 3, s.Style.Color);
        }
        return svg.ToString();
    }
}
