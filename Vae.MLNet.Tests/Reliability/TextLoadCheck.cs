using System.Text.RegularExpressions;
using Vae.MLNet.Data;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>
/// Loads text through the text loader and reads every column of every row. Bad text must end in a
/// <see cref="FormatException"/> or <see cref="InvalidDataException"/> naming the file, the line and the field.
/// </summary>
internal static partial class TextLoadCheck
{
    private static readonly MLContext _ml = new(seed: 1);

    /// <summary>Null when the file loaded (returning the row count in <paramref name="rows"/>) or was rejected cleanly; otherwise the problem.</summary>
    public static string? Problem(TextCase c, byte[] content, out int rows, out Exception? error)
    {
        string path = Path.Combine(Path.GetTempPath(), $"vae-text-fuzz-{Guid.NewGuid():N}.csv");
        File.WriteAllBytes(path, content);
        rows = 0;
        error = null;
        try
        {
            var view = c.Load(_ml, path);
            rows = view.Preview(maxRows: int.MaxValue).RowView.Length;
            return null;
        }
        catch (Exception e)
        {
            error = e;
            if (Outcomes.Problem(e, x => x is FormatException or InvalidDataException) is { } problem)
                return problem;
            if (!e.Message.Contains(path, StringComparison.Ordinal))
                return "the message does not name the file";
            if (!Line().IsMatch(e.Message))
                return "the message does not name the line";
            return Field().IsMatch(e.Message) ? null : "the message does not name the field or character";
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Checks one case, saving it for the corpus and failing the test when it is not clean.</summary>
    public static int Expect(TextCase c, byte[] content, Tally? tally = null)
    {
        string? problem = Problem(c, content, out int rows, out var error);
        if (problem != null)
        {
            string saved = Outcomes.SaveFailure("text", ".csv", content, c.ToJson());
            Assert.Fail($"{c}: {problem}. {(error is { } e ? Outcomes.Describe(e) : "")} Input saved to {saved}.");
        }
        tally?.Add(error is null ? "loaded" : Tally.Gist(error));
        return rows;
    }

    [GeneratedRegex(@"line [0-9]+")]
    private static partial Regex Line();

    [GeneratedRegex(@"(field|character|column) ")]
    private static partial Regex Field();
}
