using System.Diagnostics;
using System.Text.RegularExpressions;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Reporting;

/// <summary>
/// Opens a report in Debian's headless Chromium: the page's self-test (the <c>#selftest</c> fragment) measures every
/// figure, which the DOM dump shows, and a screenshot shows what a reader sees. Inconclusive where Chromium is missing.
/// </summary>
internal static partial class HeadlessChromium
{
    private const string Executable = "/usr/bin/chromium";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>One figure as the browser laid it out: its size, how many images it holds, of which empty and undecoded.</summary>
    public sealed record FigureLayout(string Id, int Width, int Height, int Parts, int Empty, int Broken);

    /// <summary>Makes the test inconclusive when Chromium is not installed.</summary>
    public static void RequireInstalled()
    {
        if (!File.Exists(Executable))
            Assert.Inconclusive($"{Executable} is not installed, so the report was not checked in a browser (Debian: apt-get install chromium; .ci/run installs it).");
    }

    /// <summary>
    /// The self-test's line per figure for the page at <paramref name="page"/>, after asserting that it wrote them and
    /// saw no script error.
    /// </summary>
    public static IReadOnlyList<FigureLayout> SelfTest(string page, TestContext context)
    {
        string dom = Run("--dump-dom", new Uri(page).AbsoluteUri + "#selftest");
        var selfTest = SelfTestRegex().Match(dom);
        Assert.IsTrue(selfTest.Success, $"the self-test wrote nothing; DOM starts: {dom[..Math.Min(dom.Length, 400)]}");
        string report = System.Net.WebUtility.HtmlDecode(selfTest.Groups[1].Value);
        context.WriteLine(report);
        Assert.IsFalse(report.Contains("error "), report);
        return FigureLineRegex().Matches(report).Select(m => new FigureLayout(m.Groups[1].Value,
            int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value), int.Parse(m.Groups[4].Value), int.Parse(m.Groups[5].Value), int.Parse(m.Groups[6].Value))).ToArray();
    }

    /// <summary>Asserts that every figure has a size and at least one image, all of them laid out and decoded.</summary>
    public static void AssertEveryFigureRendered(IReadOnlyList<FigureLayout> figures, IReadOnlyList<string> expectedIds)
    {
        CollectionAssert.AreEqual(expectedIds.ToArray(), figures.Select(f => f.Id).ToArray());
        foreach (var figure in figures)
        {
            Assert.IsTrue(figure.Width > 0 && figure.Height > 0, $"figure {figure.Id} has no size: {figure}");
            Assert.IsTrue(figure.Parts > 0, $"figure {figure.Id} has no chart or image");
            Assert.AreEqual(0, figure.Empty, $"figure {figure.Id} has a chart or image of zero size");
            Assert.AreEqual(0, figure.Broken, $"figure {figure.Id} has an image the browser could not decode");
        }
    }

    /// <summary>A screenshot of the page, <paramref name="width"/> × <paramref name="height"/> CSS pixels, written to <paramref name="path"/>.</summary>
    public static PngImage Screenshot(string page, string path, int width, int height)
    {
        Run($"--screenshot={path}", $"--window-size={width},{height}", "--hide-scrollbars", new Uri(page).AbsoluteUri);
        var png = PngImage.Read(File.ReadAllBytes(path));
        Assert.AreEqual((width, height), (png.Width, png.Height), "screenshot size");
        return png;
    }

    private static string Run(params string[] arguments)
    {
        // A fresh profile per run, so nothing of an earlier run (or of the user's browser) leaks in.
        string profile = Directory.CreateTempSubdirectory("chromium-profile-").FullName;
        try
        {
            var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}",
            }.Concat(arguments))
                start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"Chromium did not finish within {Timeout.TotalSeconds} s.");
            }
            Assert.AreEqual(0, process.ExitCode, $"Chromium failed: {errors.Result}");
            return output.Result;
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    [GeneratedRegex("<pre id=\"selftest\">(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex SelfTestRegex();

    [GeneratedRegex("figure (\\w+) (\\d+)x(\\d+) parts=(\\d+) empty=(\\d+) broken=(\\d+)")]
    private static partial Regex FigureLineRegex();
}
