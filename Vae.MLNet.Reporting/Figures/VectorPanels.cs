using ScottPlot;
using Vae.MLNet.Reporting.Charts;

namespace Vae.MLNet.Reporting.Figures;

/// <summary>A line of a vector panel: a vector by feature index, its legend name, colour and whether it is dashed.</summary>
internal sealed record VectorLine(string Name, float[] Values, Color Color, bool Dashed = false);

/// <summary>Vectors as small ScottPlot line charts (value against feature index), one titled panel each.</summary>
internal static class VectorPanels
{
    /// <summary>The most panels drawn: more small charts stop being readable.</summary>
    public const int MaxPanels = 6;

    private const int Width = 360, Height = 230;

    /// <summary>A panel per (title, lines), at most <see cref="MaxPanels"/>; a legend on the first only when asked.</summary>
    public static IReadOnlyList<Chart> Charts(string name, IReadOnlyList<(string Title, IReadOnlyList<VectorLine> Lines)> panels, bool legend = false) =>
        panels.Take(MaxPanels).Select((p, i) => Panel($"{name}-{i + 1}", p.Title, p.Lines, legend && i == 0)).ToArray();

    /// <summary>One panel.</summary>
    public static Chart Panel(string name, string title, IReadOnlyList<VectorLine> lines, bool legend, int width = Width, int height = Height)
    {
        var plot = ChartLook.NewPlot("feature index", "value");
        plot.Title(title, size: 13);
        foreach (var line in lines)
        {
            var xs = Enumerable.Range(0, line.Values.Length).Select(i => (double)i).ToArray();
            var scatter = plot.Add.ScatterLine(xs, line.Values.Select(v => (double)v).ToArray(), line.Color);
            scatter.LineWidth = 2;
            if (line.Dashed) scatter.LinePattern = LinePattern.Dashed;
            scatter.LegendText = line.Name;
        }
        if (legend) ChartLook.Legend(plot);
        return new Chart(name, plot, width, height, $"{title}: {string.Join(", ", lines.Select(l => l.Name))} by feature index");
    }
}
