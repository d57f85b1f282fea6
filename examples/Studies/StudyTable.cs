using System.Globalization;
using System.Net;
using System.Text;

namespace Vae.MLNet.Examples.Studies;

/// <summary>A study's table: printed aligned to the console and rendered as HTML on its page, from the same cells.</summary>
public sealed class StudyTable
{
    private readonly List<string[]> _rows = [];

    /// <summary>A table with a title and column headers; the first column is a label, the others numbers.</summary>
    public StudyTable(string title, params string[] headers)
    {
        if (headers.Length == 0) throw new ArgumentException("A table needs at least one column.", nameof(headers));
        Title = title;
        Headers = headers;
    }

    /// <summary>The title, printed above the table.</summary>
    public string Title { get; }

    /// <summary>The column headers.</summary>
    public IReadOnlyList<string> Headers { get; }

    /// <summary>The rows' cells, as printed.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows => _rows;

    /// <summary>Adds a row; each cell is formatted with the invariant culture.</summary>
    /// <exception cref="ArgumentException">The row does not have one cell per header.</exception>
    public void AddRow(params IFormattable[] cells)
    {
        if (cells.Length != Headers.Count)
            throw new ArgumentException($"The row of '{Title}' has {cells.Length} cells for {Headers.Count} columns.", nameof(cells));
        _rows.Add(cells.Select(c => c.ToString(null, CultureInfo.InvariantCulture)).ToArray());
    }

    /// <summary>Writes the title and the rows, columns padded to their widest cell (labels left, numbers right).</summary>
    public void Write(TextWriter output)
    {
        var widths = Enumerable.Range(0, Headers.Count).Select(c => _rows.Select(r => r[c].Length).Append(Headers[c].Length).Max()).ToArray();
        string Line(IReadOnlyList<string> cells) =>
            string.Join("  ", cells.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd();
        output.WriteLine(Title);
        output.WriteLine(Line(Headers));
        output.WriteLine(new string('-', widths.Sum() + 2 * (widths.Length - 1)));
        foreach (var row in _rows) output.WriteLine(Line(row));
    }

    /// <summary>The table as an HTML table element.</summary>
    public string Html()
    {
        var html = new StringBuilder("<table>\n<tr>");
        foreach (string header in Headers) html.Append("<th>").Append(WebUtility.HtmlEncode(header)).Append("</th>");
        html.Append("</tr>\n");
        foreach (var row in _rows)
        {
            html.Append("<tr>");
            foreach (string cell in row) html.Append("<td>").Append(WebUtility.HtmlEncode(cell)).Append("</td>");
            html.Append("</tr>\n");
        }
        return html.Append("</table>").ToString();
    }
}
