
namespace Vae.MLNet.Reporting.Charts;

/// <summary>
/// A legend in HTML above its charts: it wraps on narrow screens and serves every small multiple of a figure at once.
/// Each key repeats what the chart draws: a marker (points, bars) or a line (solid or dashed).
/// </summary>
internal static class Legend
{
    /// <summary>Keys drawn as markers, then keys drawn as lines.</summary>
    public static string Html(IEnumerable<SeriesStyle> markers, IEnumerable<SeriesStyle> lines) =>
        $"<div class=\"legend\">{string.Concat(markers.Select(s => Key(s, line: false)).Concat(lines.Select(s => Key(s, line: true))))}</div>";

    private static string Key(SeriesStyle style, bool line)
    {
        var swatch = new Svg(26, 12, "", "swatch");
        if (line) swatch.Line(1, 6, 25, 6, "series", style.Color, style.Dashed);
        else swatch.Marker(style.Marker, 13, 6, 4.5, style.Color);
        return $"<span class=\"key\">{swatch}{Markup.Escape(style.Name)}</span>";
    }
}
