using System.Globalization;
using System.Text;

namespace Vae.MLNet.Reporting.Charts;

/// <summary>
/// Builds one inline SVG element. Coordinates are written with one decimal (sub-pixel precision is invisible and
/// bloats the page); styling that is the same for every chart lives in the page's CSS classes.
/// </summary>
internal sealed class Svg
{
    private readonly StringBuilder _body = new();
    private readonly double _width, _height;
    private readonly string _label, _cssClass;

    /// <summary>
    /// An SVG of <paramref name="width"/>×<paramref name="height"/> user units, described by <paramref name="label"/>
    /// for screen readers (an empty label hides a decorative SVG from them).
    /// </summary>
    public Svg(double width, double height, string label, string cssClass = "chart")
    {
        _width = width;
        _height = height;
        _label = label;
        _cssClass = cssClass;
    }

    /// <summary>A straight line.</summary>
    public Svg Line(double x1, double y1, double x2, double y2, string cssClass, string? stroke = null, bool dashed = false) =>
        Append($"<line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" class=\"{cssClass}\"{Stroke(stroke, dashed)}/>");

    /// <summary>A polyline through <paramref name="points"/>.</summary>
    public Svg Polyline(IEnumerable<(double X, double Y)> points, string stroke, bool dashed = false) =>
        Append($"<polyline class=\"series\" points=\"{string.Join(' ', points.Select(p => N(p.X) + "," + N(p.Y)))}\"{Stroke(stroke, dashed)}/>");

    /// <summary>A filled rectangle, with a hover text when <paramref name="tooltip"/> is given.</summary>
    public Svg Rect(double x, double y, double width, double height, string fill, string? tooltip = null)
    {
        string rect = $"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(Math.Max(width, 0))}\" height=\"{N(Math.Max(height, 0))}\" fill=\"{fill}\"";
        return Append(tooltip is null ? rect + "/>" : $"{rect}><title>{Markup.Escape(tooltip)}</title></rect>");
    }

    /// <summary>A marker of <paramref name="shape"/> centred on (x, y).</summary>
    public Svg Marker(MarkerShape shape, double x, double y, double radius, string fill, string? cssClass = null)
    {
        string c = Class(cssClass);
        return shape switch
        {
            MarkerShape.Square => Append($"<rect x=\"{N(x - radius * 0.9)}\" y=\"{N(y - radius * 0.9)}\" width=\"{N(radius * 1.8)}\" height=\"{N(radius * 1.8)}\" fill=\"{fill}\"{c}/>"),
            MarkerShape.Triangle => Append($"<path d=\"M{N(x)},{N(y - radius * 1.2)}L{N(x + radius * 1.1)},{N(y + radius * 0.8)}H{N(x - radius * 1.1)}Z\" fill=\"{fill}\"{c}/>"),
            MarkerShape.Diamond => Append($"<path d=\"M{N(x)},{N(y - radius * 1.25)}L{N(x + radius * 1.25)},{N(y)}L{N(x)},{N(y + radius * 1.25)}L{N(x - radius * 1.25)},{N(y)}Z\" fill=\"{fill}\"{c}/>"),
            _ => Append($"<circle cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"{N(radius)}\" fill=\"{fill}\"{c}/>"),
        };
    }

    /// <summary>Text anchored at (x, y): "start", "middle" or "end"; <paramref name="rotate"/> turns it about that point.</summary>
    public Svg Text(double x, double y, string text, string cssClass, string anchor = "middle", double rotate = 0)
    {
        string transform = rotate == 0 ? "" : $" transform=\"rotate({N(rotate)} {N(x)} {N(y)})\"";
        return Append($"<text x=\"{N(x)}\" y=\"{N(y)}\" class=\"{cssClass}\" text-anchor=\"{anchor}\"{transform}>{Markup.Escape(text)}</text>");
    }

    /// <summary>The element: it scales down with its container and keeps its aspect ratio.</summary>
    public override string ToString()
    {
        string accessibility = _label.Length == 0 ? "aria-hidden=\"true\"" : $"role=\"img\" aria-label=\"{Markup.Escape(_label)}\"";
        return $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{_cssClass}\" viewBox=\"0 0 {N(_width)} {N(_height)}\" width=\"{N(_width)}\" height=\"{N(_height)}\" {accessibility}>"
            + _body + "</svg>";
    }

    /// <summary>A number as SVG writes it: invariant culture, at most one decimal.</summary>
    public static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    private Svg Append(string element)
    {
        _body.Append(element);
        return this;
    }

    private static string Stroke(string? stroke, bool dashed) =>
        (stroke is null ? "" : $" stroke=\"{stroke}\"") + (dashed ? " stroke-dasharray=\"6 4\"" : "");

    private static string Class(string? cssClass) => cssClass is null ? "" : $" class=\"{cssClass}\"";
}
