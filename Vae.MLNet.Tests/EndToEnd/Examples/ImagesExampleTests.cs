




using Vae.MLNet.Tests.Packaging;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.EndToEnd.Examples;

/// <summary>
/// examples/Images, run as its own process: ML.NET's image transforms (SkiaSharp 2.88) cannot load beside the report's
/// ScottPlot (SkiaSharp 3) in this test process (dotnet/machinelearning#7413), so the test runs the built program.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ImagesExampleTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [TestCategory("Slow")]
    public void QuickRunTrainsOnImageFilesAndSavesTheGrids()
    {
        string data = SharedData.Folder("fashion-mnist");
        string program = BuiltProgram();
        string output = Directory.CreateTempSubdirectory("vae-images-example-").FullName;
        try
        {
            var run = DotnetCli.Run(output, [program, "--data", data, "--count", "200", "--epochs", "2", "--out", output], timeout: TimeSpan.FromMinutes(8))
                .Succeeded("examples/Images");
            TestContext.WriteLine(run.Output);
            StringAssert.Contains(run.Output, "Wrote 200 Fashion-MNIST images as PNG files");
            StringAssert.Contains(run.Output, "image shape read from the column: 1×28×28");
            var elbo = System.Text.RegularExpressions.Regex.Match(run.Output, "Test ELBO (−|-)?([0-9.]+) nats per image");
            Assert.IsTrue(elbo.Success, "the ELBO is printed");
            double value = -double.Parse(elbo.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.IsTrue(value is > -700 and < -100, $"ELBO {value} after 2 epochs on 160 images");
            // The report, written by examples/ImagesReport in a second process from the saved VAE and test pixels.
            string html = File.ReadAllText(Path.Combine(output, "images-report.html"));
            StringAssert.Contains(html, "<dd>784 (1×28×28 image)</dd>");
            Assert.AreEqual(8, System.Text.RegularExpressions.Regex.Matches(html, "<figure class=\"figure\"").Count, "every figure");
            Assert.AreEqual(3 + 5 + 3, System.Text.RegularExpressions.Regex.Matches(html, "<img src=\"data:image/png;base64,").Count,
                "image strips: originals, reconstructions, samples, 5 traversals, the interpolation's 3 rows");
            StringAssert.Contains(html, "values of 'Label'", "the latent plot is coloured by the class folders");
            foreach (var (name, width, height) in new[] { ("samples.png", 8 * 29 - 1, 4 * 29 - 1), ("reconstructions.png", 8 * 29 - 1, 4 * 29 - 1) })
            {
                var png = PngImage.Read(File.ReadAllBytes(Path.Combine(output, name)));
                Assert.AreEqual((width, height), (png.Width, png.Height), name);
                Assert.IsTrue(png.Pixels.Distinct().Count() > 16, $"{name} shows images");
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>The example's built program (the solution build makes it); built here when missing.</summary>
    private static string BuiltProgram()
    {
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "Vae.MLNet.sln"))) repository = repository.Parent;
        Assert.IsNotNull(repository, "the repository root (Vae.MLNet.sln) above the test binaries");
        string project = Path.Combine(repository.FullName, "examples", "Images");
        string program = Path.Combine(project, "bin", "Release", "net10.0", "Images.dll");
        if (!File.Exists(program)) DotnetCli.Run(project, ["build", "-c", "Release"], timeout: TimeSpan.FromMinutes(8)).Succeeded("dotnet build examples/Images");
        return program;
    }
}
