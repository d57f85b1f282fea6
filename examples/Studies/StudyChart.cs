using ScottPlot;

namespace Vae.MLNet.Examples.Studies;

/// <summary>One line of a chart: a name for the legend and its points, in x order.</summary>
/// <param name="Name">The legend entry.</param>
/// <param name="Points">The points, joined in the order given.</param>
public sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points);

/// <summary>
/// A line chart drawn by ScottPlot as inline SVG, so each study page is one self-contained file. (The report
/// project's ScottPlot charts describe one model; a study compares several, so it draws its own with the same library.)
/// </summary>
public static class StudyChart
{
    private const int Width = 560, Height = 350;

    /// <summary>The chart's SVG element; with <paramref name="logX"/> the x axis is logarithmic (x must be positive).</summary>
    /// <exception cref="ArgumentException">No points, a non-finite point, or x ≤ 0 on a logarithmic axis.</exception>
    public static string Line(string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series, bool logX = false)
    {
        var points = series.SelectMany(s => s.Points).ToArray();
        if (points.Length == 0) throw new ArgumentException($"The chart '{title}' has no points.", nameof(series));
        if (points.Any(p => !double.IsFinite(p.X) || !double.IsFinite(p.Y) || (logX && p.X <= 0)))
            throw new ArgumentException($"The chart '{title}' has a non-finite point{(logX ? " or an x ≤ 0 on its logarithmic axis" : "")}.", nameof(series));

        Func<double, double> ax = logX ? Math.Log10 : x => x;
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        plot.Title(title, size: 14);
        plot.XLabel(xLabel + (logX ? " (log scale)" : ""), size: 12);
        plot.YLabel(yLabel, size: 12);
        foreach (var s in series)
        {
            var line = plot.Add.Scatter(s.Points.Select(p => ax(p.X)).ToArray(), s.Points.Select(p => p.Y).ToArray());
            line.LegendText = s.Name;
            line.LineWidth = 2;
            line.MarkerSize = s.Points.Count <= 20 ? 7 : 0;
        }
        // Few distinct x values (layer counts, latent sizes, steps) are labelled each, at their own positions.
        var xValues = points.Select(p => p.X).Distinct().Order().ToArray();
        if (xValues.Length <= 12)
        {
            var ticks = new ScottPlot.TickGenerators.NumericManual();
            foreach (double x in xValues) ticks.AddMajor(ax(x), x.ToString("G4", System.Globalization.CultureInfo.InvariantCulture));
            plot.Axes.Bottom.TickGenerator = ticks;
        }
        if (series.Count > 1) plot.ShowLegend(Alignment.UpperRight);
        // Inline in HTML: the <svg> element without the XML declaration in front of it.
        string svg = plot.GetSvgXml(Width, Height);
        return svg[svg.IndexOf("<svg", StringComparison.Ordinal)..];
    }
}
