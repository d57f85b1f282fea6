using System.Globalization;
using Vae.MLNet.Reporting.Charts;

namespace Vae.MLNet.Reporting.Figures;

/// <summary>The frame every figure shares: an anchor, a heading, the content and a caption saying how to read it.</summary>
internal static class Figure
{
    /// <summary>
    /// A figure block; <paramref name="body"/> and <paramref name="caption"/> are HTML made by the report (user text
    /// inside them is escaped with <see cref="Encode"/>), <paramref name="title"/> is plain text. The caption sits beside
    /// a narrow body and wraps below a wide one.
    /// </summary>
    public static string Html(string id, string title, string body, string caption) =>
        $"<figure class=\"figure\" id=\"{id}\" data-figure=\"{id}\"><h2>{Encode(title)}</h2>" +
        $"<div class=\"figure-content\"><div class=\"figure-body\">{body}</div><figcaption>{caption}</figcaption></div></figure>";

    /// <summary>A chart with a small title above it (one of several in a figure).</summary>
    public static string Panel(string title, string chart) =>
        $"<div class=\"panel\"><div class=\"panel-title\">{Encode(title)}</div>{chart}</div>";

    /// <summary>A note in place of a figure's content, saying why there is nothing to draw.</summary>
    public static string Note(string html) => $"<p class=\"note\">{html}</p>";

    /// <summary>Text escaped for HTML.</summary>
    public static string Encode(string text) => Markup.Escape(text);

    /// <summary>A number with <paramref name="decimals"/> decimals and a true minus sign.</summary>
    public static string Number(double value, int decimals = 2) => NumberText.Format(value, decimals);

    /// <summary>A count in invariant culture.</summary>
    public static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}
