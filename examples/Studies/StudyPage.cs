using System.Net;
using System.Text;

namespace Vae.MLNet.Examples.Studies;

/// <summary>
/// One study's HTML page: the question, the table, the plots (inline SVG) and the setup, in a single self-contained
/// file. The report project's public entry point (VaeReport.Write) describes one model; a study compares several.
/// </summary>
public static class StudyPage
{
    /// <summary>Writes the page to <paramref name="path"/> (creating its folder) and returns the full path.</summary>
    public static string Write(string path, string title, string question, StudyTable table, IEnumerable<string> charts, string setup)
    {
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{Encode(title)}}</title>
            <style>
            body { font-family: sans-serif; max-width: 1180px; margin: 2em auto; color: #222; }
            table { border-collapse: collapse; margin: 1em 0; }
            th, td { border-bottom: 1px solid #ccc; padding: 4px 10px; text-align: right; }
            th:first-child, td:first-child { text-align: left; }
            .charts svg { margin: 0 12px 12px 0; }
            .note { color: #555; }
            </style></head><body>
            <h1>{{Encode(title)}}</h1>
            <p>{{Encode(question)}}</p>
            <h2>{{Encode(table.Title)}}</h2>
            {{table.Html()}}
            <div class="charts">

            """);
        foreach (string chart in charts) html.Append(chart).Append('\n');
        html.Append($$"""
            </div>
            <p class="note">{{Encode(setup)}}</p>
            <p class="note">Generated {{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm}} UTC by examples/Studies.</p>
            </body></html>

            """);
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, html.ToString());
        return full;
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
