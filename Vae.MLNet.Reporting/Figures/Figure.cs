using System.Globalization;
using Vae.MLNet.Reporting.Charts;

namespace Vae.MLNet.Reporting.Figures;

/// <summary>
/// One figure of the report: its anchor, title, body (HTML made by the report, with its charts and images inline),
/// the caption saying how to read it, and the ScottPlot charts drawn in the body (kept so they can be inspected).
/// </summary>
internal sealed record ReportFigure(string Id, string Title, string Body, string Caption, IReadOnlyList<Chart> Charts)
{
    /// <summary>
    /// The figure block; user text inside body and caption is escaped with <see cref="Figure.Encode"/>, the title is plain
    /// text. The caption sits beside a narrow body and wraps below a wide one.
    /// </summary>
    public string Html() =>
        $"<figure class=\"figure\" id=\"{Id}\" data-figure=\"{Id}\"><h2>{Figure.Encode(Title)}</h2>" +
        $"<div class=\"figure-content\"><div class=\"figure-body\">{Body}</div><figcaption>{Caption}</figcaption></div></figure>";
}

/// <summary>What the figures share: building blocks of their HTML and the report's way of printing numbers.</summary>
internal static class Figure
{
    /// <summary>A figure whose body is made of <paramref name="charts"/> side by side, wrapping, after <paramref name="before"/>.</summary>
    public static ReportFigure OfCharts(string id, string title, IReadOnlyList<Chart> charts, string caption, string before = "") =>
        new(id, title, before + $"<div class=\"charts\">{string.Concat(charts.Select(c => c.Html()))}</div>", caption, charts);

    /// <summary>A figure with a note in place of its content, saying why there is nothing to draw.</summary>
    public static ReportFigure Note(string id, string title, string html) => new(id, title, $"<p class=\"note\">{html}</p>", "", []);

    /// <summary>Text escaped for HTML.</summary>
    public static string Encode(string text) => Markup.Escape(text);

    /// <summary>A number with <paramref name="decimals"/> decimals and a true minus sign.</summary>
    public static string Number(double value, int decimals = 2) => NumberText.Format(value, decimals);

    /// <summary>A count in invariant culture.</summary>
    public static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}
