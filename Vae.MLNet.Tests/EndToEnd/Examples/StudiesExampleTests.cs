using System.Globalization;
using Vae.MLNet.Examples.Studies;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.EndToEnd.Examples;

/// <summary>examples/Studies: the --quick run through its command line, read back from the tables it prints; and its table and chart helpers.</summary>
[TestClass]
public sealed class StudiesExampleTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [TestCategory("Slow")]
    public void QuickRunPrintsFourSaneTablesAndWritesTheirPages()
    {
        string data = SharedData.Folder("mnist");
        string folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"vae-studies-{Guid.NewGuid():N}")).FullName;
        try
        {
            var output = new StringWriter();
            Assert.AreEqual(0, StudiesCommand.Invoke(["--quick", "--data", data, "--report-dir", folder], output));
            string text = output.ToString();
            TestContext.WriteLine(text);
            var quick = StudySettings.Quick(data);

            var depth = Table(text, "Encoder depth");
            Assert.HasCount(quick.Depths.Count, depth);
            foreach (var (row, layers) in depth.Zip(quick.Depths))
            {
                Assert.AreEqual(layers.ToString(CultureInfo.InvariantCulture), row[0]);
                Assert.AreEqual(layers + 2, row[1].Split('-').Length, $"the encoder {row[1]} has {layers} hidden layers");
                CheckElbo(row[2], row[3], row[4]);
                CheckActiveUnits(row[5], quick.LatentDimension);
                Assert.IsGreaterThan(0, Number(row[6]), "training time");
                Assert.IsGreaterThan(0, Number(row[7]), "samples/s");
            }

            var latent = Table(text, "Latent size");
            Assert.HasCount(quick.LatentSizes.Count, latent);
            foreach (var (row, size) in latent.Zip(quick.LatentSizes))
            {
                Assert.AreEqual(size.ToString(CultureInfo.InvariantCulture), row[0]);
                CheckElbo(row[1], row[2], row[3]);
                CheckActiveUnits(row[4], size);
                double topKl = Number(row[5]);
                Assert.IsTrue(topKl >= 0 && topKl <= Number(row[3]) + 0.01, $"the largest KL of one dimension ({topKl}) is within the total ({row[3]})");
            }

            var gap = Table(text, "Amortization gap");
            Assert.HasCount(2 * quick.GapSteps.Count, gap);
            CollectionAssert.AreEqual(quick.GapSteps.Concat(quick.GapSteps).ToArray(), gap.Select(r => int.Parse(r[2], CultureInfo.InvariantCulture)).ToArray());
            foreach (var row in gap)
            {
                Assert.AreEqual(quick.GapRows.ToString(CultureInfo.InvariantCulture), row[1]);
                double amortized = Number(row[3]), optimized = Number(row[4]), gapValue = Number(row[5]);
                Assert.IsLessThan(0, amortized, "an ELBO of Bernoulli pixels is negative");
                Assert.AreEqual(optimized - amortized, gapValue, 0.011, "gap = optimized - amortized");
                // Both ELBOs of an image share their noise and the optimization starts at the encoder's posterior,
                // so the gap is positive but for the noise of the steps' own samples.
                Assert.IsGreaterThan(-0.5, gapValue, $"the {row[0]} gap after {row[2]} steps");
                double improved = Number(row[6].TrimEnd('%'));
                Assert.IsTrue(improved is >= 0 and <= 100, $"improved {row[6]}");
            }
            var hundred = gap.Where(r => r[2] == "100").ToArray();
            Assert.IsTrue(hundred.All(r => Number(r[5]) > 0), "100 steps of per-image optimization raise the ELBO on average");

            var samples = Table(text, "Decoded latent points");
            Assert.HasCount(1 + 3 * quick.SampleLatentSizes.Count, samples);
            Assert.AreEqual("real test digits", samples[0][0]);
            foreach (var row in samples)
            {
                double confidence = Number(row[1]), recognisable = Number(row[2].TrimEnd('%')), entropy = Number(row[3]);
                Assert.IsTrue(confidence is >= 0.1 and <= 1, $"{row[0]}: confidence {confidence}");
                Assert.IsTrue(recognisable is >= 0 and <= 100 && entropy is >= 0 and <= 3.33, $"{row[0]}: {row[2]}, {row[3]} bits");
                Assert.IsTrue(int.Parse(row[4], CultureInfo.InvariantCulture) is >= 1 and <= 10, row[0]);
            }
            Assert.IsGreaterThan(50, Number(samples[0][2].TrimEnd('%')), "the classifier recognises most real digits");
            Assert.IsGreaterThan(3.2, Number(samples[0][3]), "real digits spread over the ten classes");

            foreach (string name in new[] { "depth.html", "latent.html", "gap.html", "samples.html" })
            {
                string html = File.ReadAllText(Path.Combine(folder, name));
                Assert.IsGreaterThanOrEqualTo(2, html.Split("<svg").Length - 1, $"{name} has its plots");
                StringAssert.Contains(html, "<table>", name);
                StringAssert.Contains(text, Path.Combine(folder, name), "the run names the page it wrote");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void MissingDataSaysSoAndExitsWithZero()
    {
        string empty = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"vae-no-mnist-{Guid.NewGuid():N}")).FullName;
        try
        {
            var output = new StringWriter();
            Assert.AreEqual(0, StudiesCommand.Invoke(["--quick", "--data", empty], output));
            StringAssert.Contains(output.ToString(), "MNIST was not found");
            StringAssert.Contains(output.ToString(), "no study ran");
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [TestMethod]
    public void InvalidOptionsExitWithTwo()
    {
        Assert.AreEqual(StudiesCommand.UsageError, StudiesCommand.Invoke(["--epochs", "0"], TextWriter.Null));
        Assert.AreEqual(StudiesCommand.UsageError, StudiesCommand.Invoke(["--study", "width"], TextWriter.Null));
        Assert.AreEqual(StudiesCommand.UsageError, StudiesCommand.Invoke(["--no-such-option"], TextWriter.Null));
    }

    [TestMethod]
    public void TablesAlignTheirColumnsAndRefuseRaggedRows()
    {
        var table = new StudyTable("T", "name", "value");
        table.AddRow($"a", $"{1.5:F2}");
        table.AddRow($"longer", $"{-12.25:F2}");
        var output = new StringWriter { NewLine = "\n" };
        table.Write(output);
        Assert.AreEqual("T\nname     value\n--------------\na         1.50\nlonger  -12.25\n", output.ToString());
        StringAssert.Contains(table.Html(), "<tr><td>longer</td><td>-12.25</td></tr>");
        var error = Assert.ThrowsExactly<ArgumentException>(() => table.AddRow($"only one"));
        StringAssert.Contains(error.Message, "'T'");
    }

    [TestMethod]
    public void ChartsDrawEverySeriesAndRefuseUnplottablePoints()
    {
        string svg = StudyChart.Line("c", "x", "y", [new ChartSeries("a", [(1, 2), (2, 3)]), new ChartSeries("b", [(1, 5), (4, 1)])], logX: true);
        StringAssert.StartsWith(svg.TrimStart(), "<svg");
        // ScottPlot writes the legend's entries and the manual ticks as text: both series and every x value are there.
        foreach (string text in new[] { "a", "b", "1", "2", "4", "c", "x (log scale)" })
            Assert.IsTrue(System.Text.RegularExpressions.Regex.IsMatch(svg, $">\\s*{System.Text.RegularExpressions.Regex.Escape(text)}\\s*<"), $"the chart shows '{text}'");
        Assert.ThrowsExactly<ArgumentException>(() => StudyChart.Line("c", "x", "y", [new ChartSeries("a", [(0, 1)])], logX: true));
        Assert.ThrowsExactly<ArgumentException>(() => StudyChart.Line("c", "x", "y", [new ChartSeries("a", [(1, double.NaN)])]));
        Assert.ThrowsExactly<ArgumentException>(() => StudyChart.Line("c", "x", "y", [new ChartSeries("a", [])]));
    }

    /// <summary>The body rows of the printed table whose title starts with <paramref name="title"/>, split into cells.</summary>
    private static List<string[]> Table(string text, string title)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        int start = lines.FindIndex(l => l.StartsWith(title, StringComparison.Ordinal));
        Assert.IsGreaterThanOrEqualTo(0, start, $"the output prints the table '{title}'");
        Assert.IsTrue(lines[start + 2].Length > 0 && lines[start + 2].All(c => c == '-'), $"'{title}' has a header and a rule");
        int headers = lines[start + 1].Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length;
        var rows = lines.Skip(start + 3).TakeWhile(l => !l.StartsWith("Page:", StringComparison.Ordinal) && l.Length > 0)
            .Select(l => l.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        Assert.IsTrue(rows.All(r => r.Length == headers), $"every row of '{title}' has {headers} cells");
        return rows;
    }

    private static double Number(string cell)
    {
        Assert.IsTrue(double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value), $"'{cell}' is a finite number");
        return value;
    }

    /// <summary>-ELBO = reconstruction NLL + KL (to the printed rounding), with both terms non-negative for Bernoulli pixels.</summary>
    private static void CheckElbo(string negativeElbo, string reconstruction, string kl)
    {
        double total = Number(negativeElbo), nll = Number(reconstruction), klValue = Number(kl);
        Assert.IsGreaterThan(0, nll, "reconstruction NLL");
        Assert.IsGreaterThanOrEqualTo(0, klValue, "KL");
        Assert.AreEqual(nll + klValue, total, 0.011, "-ELBO = reconstruction + KL");
    }

    private static void CheckActiveUnits(string cell, int latentDimension)
    {
        var parts = cell.Split('/');
        Assert.HasCount(2, parts, cell);
        int active = int.Parse(parts[0], CultureInfo.InvariantCulture);
        Assert.AreEqual(latentDimension, int.Parse(parts[1], CultureInfo.InvariantCulture), cell);
        Assert.IsTrue(active >= 0 && active <= latentDimension, $"active units {cell}");
    }
}
