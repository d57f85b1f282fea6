using System.Text.RegularExpressions;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>
/// Loads text through the text loader and reads every row. Bad text must end in a <see cref="FormatException"/> or
/// <see cref="InvalidDataException"/> naming the file, the line and the field (or character).
/// </summary>
internal static partial class TextLoadCheck
{
    private static readonly MLContext _ml = new(seed: 1);

    /// <summary>Checks <paramref name="content"/> loaded with <paramref name="settings"/>, reading every column; returns the row count.</summary>
    public static int Expect(TextCase settings, byte[] content, Tally? tally = null) =>
        Expect(content, path => settings.Load(_ml, path).Preview(maxRows: int.MaxValue).RowView.Length, settings, tally);

    /// <summary>
    /// Writes <paramref name="content"/> to a file and calls <paramref name="read"/> on it (returning the rows read).
    /// When the outcome is not clean, saves the input with <paramref name="settings"/> (as equivalent loader settings,
    /// for the corpus) and fails the test.
    /// </summary>
    public static int Expect(byte[] content, Func<string, int> read, TextCase settings, Tally? tally = null)
    {
        string path = Path.Combine(Path.GetTempPath(), $"vae-text-fuzz-{Guid.NewGuid():N}.csv");
        File.WriteAllBytes(path, content);
        int rows = 0;
        Exception? error = null;
        try
        {
            rows = read(path);
        }
        catch (Exception e)
        {
            error = e;
        }
        finally
        {
            File.Delete(path);
        }
        if (error != null && Problem(error, path) is { } problem)
        {
            string saved = Outcomes.SaveFailure("text", ".csv", content, settings.ToJson());
            Assert.Fail($"{settings}: {problem}. {Outcomes.Describe(error)} Input saved to {saved}.");
        }
        tally?.Add(error is null ? "loaded" : Tally.Gist(error));
        return rows;
    }

    private static string? Problem(Exception e, string path)
    {
        if (Outcomes.Problem(e, x => x is FormatException or InvalidDataException) is { } problem)
            return problem;
        if (!e.Message.Contains(path, StringComparison.Ordinal))
            return "the message does not name the file";
        if (!Line().IsMatch(e.Message))
            return "the message does not name the line";
        return Field().IsMatch(e.Message) ? null : "the message does not name the field or character";
    }

    [GeneratedRegex(@"line [0-9]+")]
    private static partial Regex Line();

    [GeneratedRegex(@"(field|character|column) ")]
    private static partial Regex Field();
}
