using System.Globalization;

namespace Vae.MLNet.Reporting.Charts;

/// <summary>One bar per index 0, 1, 2, … with the value on hover; the y axis starts at 0.</summary>
internal static class BarChart
{
    /// <summary>The SVG of <paramref name="values"/>; <paramref name="tooltip"/> writes the hover text of bar i.</summary>
    public static string Render(ChartText text, IReadOnlyList<double> values, string color, ChartSize size, Func<int, double, string> tooltip)
    {
        var (_, yMax) = NiceTicks.Range(values.Append(0));
        var frame = new PlotFrame(size.Width, size.Height,
            NiceTicks.Within(-0.5, values.Count - 0.5, size.XTicks, minStep: 1), NiceTicks.Around(0, Math.Max(yMax, 0), size.YTicks));
        var svg = frame.Begin(text.Description, text.XTitle, text.YTitle);
        double slot = frame.X(1) - frame.X(0);
        for (int i = 0; i < values.Count; i++)
        {
            double v = double.IsFinite(values[i]) ? Math.Max(values[i], 0) : 0;
            svg.Rect(frame.X(i) - slot * 0.4, frame.Y(v), slot * 0.8, frame.Y(0) - frame.Y(v), color, tooltip(i, values[i]));
        }
        return svg.ToString();
    }

    /// <summary>The tooltip "label: value unit" with three significant decimals.</summary>
    public static string Tooltip(string label, double value, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{label}: {value:0.###} {unit}");
}
