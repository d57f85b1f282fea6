using Vae.MLNet.Reporting.Charts;

namespace Vae.MLNet.Reporting.Figures;

/// <summary>Vectors as small line charts (value against feature index), one titled panel each.</summary>
internal static class VectorPanels
{
    /// <summary>The most panels drawn: more small charts stop being readable.</summary>
    public const int MaxPanels = 6;

    /// <summary>The panels, side by side, wrapping.</summary>
    public static string Html(IReadOnlyList<(string Title, IReadOnlyList<LineSeries> Series)> panels)
    {
        var charts = panels.Take(MaxPanels).Select(p =>
            Figure.Panel(p.Title, LineChart.Render(new ChartText(p.Title, "feature index", "value"), p.Series, ChartSize.Small, integerX: true)));
        return $"<div class=\"charts\">{string.Concat(charts)}</div>";
    }

    /// <summary>A vector as points (index, value).</summary>
    public static (double X, double Y)[] Points(float[] vector) => vector.Select((v, i) => ((double)i, (double)v)).ToArray();
}
