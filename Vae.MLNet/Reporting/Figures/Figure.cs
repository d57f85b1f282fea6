using System.Globalization;
using System.Net;

namespace Vae.MLNet.Reporting.Figures;

/// <summary>The frame every figure shares: an anchor, a heading, the content and a caption saying how to read it.</summary>
internal static class Figure
{
    /// <summary>
    /// A figure block; <paramref name="body"/> and <paramref name="caption"/> are HTML made by the report (user text
    /// inside them is escaped with <see cref="Encode"/>), <paramref name="title"/> is plain text.
    /// </summary>
    public static string Html(string id, string title, string body, string caption) =>
        $"<figure class=\"figure\" id=\"{id}\" data-figure=\"{id}\"><h2>{Encode(title)}</h2>{body}<figcaption>{caption}</figcaption></figure>";

    /// <summary>A note in place of a figure's content, saying why there is nothing to draw.</summary>
    public static string Note(string html) => $"<p class=\"note\">{html}</p>";

    /// <summary>Text escaped for HTML.</summary>
    public static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A number with <paramref name="decimals"/> decimals and a true minus sign.</summary>
    public static string Number(double value, int decimals = 2)
    {
        if (!double.IsFinite(value)) return value.ToString(CultureInfo.InvariantCulture);
        string text = value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return text.StartsWith('-') ? "\u2212" + text[1..] : text;
    }

    /// <summary>A count in invariant culture.</summary>
    public static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}
