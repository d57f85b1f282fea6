namespace Vae.MLNet.Reporting.Charts;

/// <summary>A vertical reference line on a histogram (e.g. the mean), with its style for the legend.</summary>
internal sealed record ReferenceLine(double X, SeriesStyle Style);

/// <summary>Counts of values in round-width bins, drawn as adjacent bars, with optional vertical reference lines.</summary>
internal static class Histogram
{
    /// <summary>The bin edges: a round width chosen for about <paramref name="targetBins"/> bins covering the values.</summary>
    public static double[] Edges(IReadOnlyList<double> values, int targetBins)
    {
        var (min, max) = NiceTicks.Range(values);
        double width = NiceTicks.Step(min, max, targetBins + 1);
        long first = (long)Math.Floor(min / width + 1e-9), last = Math.Max((long)Math.Ceiling(max / width - 1e-9), first + 1);
        return Enumerable.Range(0, (int)(last - first + 1)).Select(i => (first + i) * width).ToArray();
    }

    /// <summary>How many values fall in each bin [edge i, edge i+1) (the last bin is closed).</summary>
    public static int[] Counts(IReadOnlyList<double> values, double[] edges)
    {
        var counts = new int[edges.Length - 1];
        double width = edges[1] - edges[0];
        foreach (double v in values)
            if (double.IsFinite(v))
                counts[Math.Clamp((int)Math.Floor((v - edges[0]) / width), 0, counts.Length - 1)]++;
        return counts;
    }

    /// <summary>The SVG of the histogram of <paramref name="values"/>.</summary>
    public static string Render(ChartText text, IReadOnlyList<double> values, string color, ChartSize size, IReadOnlyList<ReferenceLine> lines, int targetBins = 20)
    {
        var edges = Edges(values, targetBins);
        var counts = Counts(values, edges);
        double width = edges[1] - edges[0];
        var (xMin, xMax) = NiceTicks.Range(edges.Concat(lines.Select(l => l.X)));
        var frame = new PlotFrame(size.Width, size.Height,
            NiceTicks.Around(xMin, xMax, size.XTicks), NiceTicks.Around(0, Math.Max(counts.Max(), 1), size.YTicks, minStep: 1));
        var svg = frame.Begin(text.Description, text.XTitle, text.YTitle);
        for (int i = 0; i < counts.Length; i++)
            svg.Rect(frame.X(edges[i]) + 0.5, frame.Y(counts[i]), frame.X(edges[i + 1]) - frame.X(edges[i]) - 1, frame.Y(0) - frame.Y(counts[i]), color,
                BarChart.Tooltip($"[{Axis.Format(edges[i], width)}, {Axis.Format(edges[i + 1], width)})", counts[i], "rows"));
        foreach (var line in lines)
            svg.Line(frame.X(line.X), frame.Top, frame.X(line.X), frame.Bottom, "reference", line.Style.Color, line.Style.Dashed);
        return svg.ToString();
    }
}
