using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Vae.MLNet.Tests.Packaging;

/// <summary>
/// The README's pipeline example compiles as written and runs: its C# block becomes the Program.cs of a console app
/// outside the repository that references only Microsoft.ML, libtorch-cpu-linux-x64 and the packed Vae.MLNet, run
/// on a generated measurements.csv. About 30 s here (a restore and a build).
/// </summary>
[TestClass]
public sealed class ReadmeExampleTests
{
    [TestMethod]
    [TestCategory("Slow")]
    public void ThePipelineExampleOfTheReadmeCompilesAsWrittenAndRuns()
    {
        string code = PipelineExample(File.ReadAllText(ReadmePath()));
        var package = PackedLibrary.Get();
        using var project = ConsumerProject.Create(package, "ReadmeExample",
            [("Microsoft.ML", MLNetBuild.Version), ("libtorch-cpu-linux-x64", "2.10.0")], code);
        File.WriteAllText(Path.Combine(project.Folder, "measurements.csv"), Measurements(rows: 400, seed: 3));

        project.Dotnet("build", "-c", "Release").Succeeded($"dotnet build of the README example in {project.Folder}");
        var run = project.RunProgram().Succeeded("the README example");

        var accuracy = Regex.Match(run.Output, @"accuracy (\d+[.,]\d+) ?%");
        Assert.IsTrue(accuracy.Success, run.Describe("the README example"));
        // Three kinds of boxes far apart in every measurement: two latent dimensions separate them.
        Assert.IsGreaterThan(80.0, double.Parse(accuracy.Groups[1].Value.Replace(',', '.'), CultureInfo.InvariantCulture), run.Describe("the README example"));
        StringAssert.Matches(run.Output, new Regex(@"predicted (small|medium|large) from latent mean \(-?\d"), run.Describe("the README example"));
        project.Passed();
    }

    /// <summary>The C# block under "## A pipeline with a VAE".</summary>
    internal static string PipelineExample(string readme)
    {
        int section = readme.IndexOf("## A pipeline with a VAE", StringComparison.Ordinal);
        Assert.IsGreaterThanOrEqualTo(0, section, "README.md has no section '## A pipeline with a VAE'");
        var block = Regex.Match(readme[section..], "```csharp\n(.*?)```", RegexOptions.Singleline);
        Assert.IsTrue(block.Success, "the README's pipeline section has no ```csharp block");
        return block.Groups[1].Value;
    }

    private static string ReadmePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string readme = Path.Combine(dir.FullName, "README.md");
            if (File.Exists(readme) && File.Exists(Path.Combine(dir.FullName, "Vae.MLNet.sln"))) return readme;
        }
        Assert.Fail($"README.md of the repository not found above {AppContext.BaseDirectory}");
        return "";
    }

    // Boxes of three kinds: Width, Height, Depth, Weight grow with the kind, with noise.
    private static string Measurements(int rows, int seed)
    {
        var random = new Random(seed);
        string[] kinds = ["small", "medium", "large"];
        var csv = new StringBuilder("Width,Height,Depth,Weight,Label\n");
        for (int i = 0; i < rows; i++)
        {
            int kind = i % 3;
            double size = 1 + 2 * kind;
            double Noisy(double v) => v * (1 + 0.1 * (random.NextDouble() - 0.5));
            csv.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{Noisy(size):F3},{Noisy(2 * size):F3},{Noisy(0.5 * size):F3},{Noisy(size * size):F3},{kinds[kind]}"));
        }
        return csv.ToString();
    }
}
