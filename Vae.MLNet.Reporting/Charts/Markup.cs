using System.Text;

namespace Vae.MLNet.Reporting.Charts;

/// <summary>Escaping text for HTML. The page is UTF-8, so only the five markup characters need escaping (WebUtility.HtmlEncode would also turn × and é into entities).</summary>
internal static class Markup
{
    /// <summary><paramref name="text"/> with &amp;, &lt;, &gt;, " and ' escaped, safe in element content and quoted attributes.</summary>
    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>\"'") < 0) return text;
        var escaped = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            string? entity = c switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", '"' => "&quot;", '\'' => "&#39;", _ => null };
            if (entity is null) escaped.Append(c);
            else escaped.Append(entity);
        }
        return escaped.ToString();
    }
}
