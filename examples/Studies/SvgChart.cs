using System.Globalization;
using System.Net;
using System.Text;

namespace Vae.MLNet.Examples.Studies;

/// <summary>One line of a chart: a name for the legend and its points, in x order.</summary>
/// <param name="Name">The legend entry.</param>
/// <param name="Points">The points, joined in the order given.</param>
public sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points);

/// <summary>
/// A line chart as inline SVG, so each study page is one self-contained file that needs no plotting package (the
/// report project's charts are internal to its per-model report).
/// </summary>
public static class SvgChart
{
    private const double Width = 560, Height = 350, Left = 64, Right = 16, Top = 30, Bottom = 68;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"];

    /// <summary>The chart's SVG element; with <paramref name="logX"/> the x axis is logarithmic (x must be positive).</summary>
    /// <exception cref="ArgumentException">No points, a non-finite point, or x ≤ 0 on a logarithmic axis.</exception>
    public static string Line(string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series, bool logX = false)
    {
        var points = series.SelectMany(s => s.Points).ToArray();
        if (points.Length == 0) throw new ArgumentException($"The chart '{title}' has no points.", nameof(series));
        if (points.Any(p => !double.IsFinite(p.X) || !double.IsFinite(p.Y) || (logX && p.X <= 0)))
            throw new ArgumentException($"The chart '{title}' has a non-finite point{(logX ? " or an x ≤ 0 on its logarithmic axis" : "")}.", nameof(series));

        Func<double, double> ax = logX ? Math.Log : x => x;
        var (xMin, xMax) = Span(points.Select(p => ax(p.X)));
        var yTicks = NiceTicks(points.Min(p => p.Y), points.Max(p => p.Y));
        double yMin = yTicks[0], yMax = yTicks[^1];
        double Px(double x) => Left + (ax(x) - xMin) / (xMax - xMin) * (Width - Left - Right);
        double Py(double y) => Height - Bottom - (y - yMin) / (yMax - yMin) * (Height - Top - Bottom);

        var svg = new StringBuilder();
        svg.Append(I($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(I($"<text x=\"{Width / 2}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">{Encode(title)}</text>\n"));
        foreach (double y in yTicks)
            svg.Append(I($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Py(y):F1}\" y2=\"{Py(y):F1}\" stroke=\"#ddd\"/><text x=\"{Left - 6}\" y=\"{Py(y) + 4:F1}\" text-anchor=\"end\">{y:G4}</text>\n"));
        // Few distinct x values (layer counts, latent sizes, steps) are labelled each; a dense x axis gets five ticks.
        var xValues = points.Select(p => p.X).Distinct().Order().ToArray();
        var xTicks = xValues.Length <= 12 ? xValues : NiceTicks(xValues[0], xValues[^1]).Where(x => x >= xValues[0] && x <= xValues[^1]).ToArray();
        foreach (double x in xTicks)
            svg.Append(I($"<line x1=\"{Px(x):F1}\" x2=\"{Px(x):F1}\" y1=\"{Height - Bottom}\" y2=\"{Height - Bottom + 4}\" stroke=\"#333\"/><text x=\"{Px(x):F1}\" y=\"{Height - Bottom + 17}\" text-anchor=\"middle\">{x:G4}</text>\n"));
        svg.Append(I($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#333\"/>\n"));
        svg.Append(I($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - Bottom + 34}\" text-anchor=\"middle\">{Encode(xLabel)}{(logX ? " (log scale)" : "")}</text>\n"));
        svg.Append(I($"<text transform=\"translate(16 {(Top + Height - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">{Encode(yLabel)}</text>\n"));
        for (int s = 0; s < series.Count; s++)
        {
            string color = Colors[s % Colors.Length];
            var path = series[s].Points.Select(p => I($"{Px(p.X):F1},{Py(p.Y):F1}"));
            svg.Append($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{string.Join(" ", path)}\"/>\n");
            if (series[s].Points.Count <= 20)
                foreach (var p in series[s].Points) svg.Append(I($"<circle cx=\"{Px(p.X):F1}\" cy=\"{Py(p.Y):F1}\" r=\"3.5\" fill=\"{color}\"/>\n"));
            // The legend runs along the bottom, where it cannot hide a line.
            double legendX = Left + s * (Width - Left - Right) / series.Count;
            svg.Append(I($"<line x1=\"{legendX:F1}\" x2=\"{legendX + 20:F1}\" y1=\"{Height - 12}\" y2=\"{Height - 12}\" stroke=\"{color}\" stroke-width=\"2\"/><text x=\"{legendX + 26:F1}\" y=\"{Height - 8}\">{Encode(series[s].Name)}</text>\n"));
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Round tick values (steps of 1, 2 or 5 times a power of ten) covering [min, max].</summary>
    private static double[] NiceTicks(double min, double max)
    {
        if (max - min < 1e-9 * Math.Max(1, Math.Abs(max))) { min -= 1; max += 1; }  // a flat line still gets an axis
        double raw = (max - min) / 5, power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1, 2, 5, 10 }.Select(m => m * power).First(s => s >= raw);
        double first = Math.Floor(min / step) * step;
        int count = (int)Math.Ceiling((max - first) / step - 1e-9) + 1;
        return Enumerable.Range(0, count).Select(i => Math.Round(first + i * step, 10)).ToArray();
    }

    /// <summary>The range of the values, widened by 5 % on each side so no marker sits on the frame.</summary>
    private static (double Min, double Max) Span(IEnumerable<double> values)
    {
        var array = values.ToArray();
        double min = array.Min(), max = array.Max(), pad = max > min ? 0.05 * (max - min) : 1;
        return (min - pad, max + pad);
    }

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
