using System.Globalization;
using System.Text.RegularExpressions;

namespace Vae.MLNet.Tests.Packaging;

/// <summary>
/// Issue 12's first acceptance test, as a new user would run it: a console app outside the repository that references
/// only Microsoft.ML, Microsoft.ML.FastTree, the matching Microsoft.ML.OnnxConverter (the versions the suite runs on,
/// <see cref="MLNetBuild"/>: 5.0.1 and 0.23.1, or 6.0.0 and 0.24.0), libtorch-cpu-linux-x64 2.10.0 and the packed Vae.MLNet
/// restores, builds (the package's buildTransitive targets fix the output's libLibTorchSharp.so) and runs
/// LoadFromTextFile → Concatenate → NormalizeMinMax → VaeEncode → OneVersusAll(FastTree) on LatentMean → Evaluate →
/// Model.Save, and converts the encoding part to ONNX; a second process of the app loads the model in a new MLContext and predicts the same rows with a
/// PredictionEngine. About 35 s here with the package cache warm (the test project's restore already brought
/// libtorch), most of it the two builds; the app's output holds libtorch's ~540 MB until the test passes.
/// </summary>
[TestClass]
public sealed class PackageConsumerTests
{
    /// <summary>The test's context (for the timings it writes).</summary>
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void ConsoleAppTrainsVaeAndFastTreeSavesAndASecondProcessLoadsItWithIdenticalPredictions()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.OSArchitecture != System.Runtime.InteropServices.Architecture.X64)
            Assert.Inconclusive("The consumer references libtorch-cpu-linux-x64: linux-x64 only.");
        var package = PackedLibrary.Get();
        using var project = ConsumerProject.Create(package, "Consumer",
            [("Microsoft.ML", MLNetBuild.Version), ("Microsoft.ML.FastTree", MLNetBuild.Version),
             ("Microsoft.ML.OnnxConverter", MLNetBuild.ExperimentalVersion), ("libtorch-cpu-linux-x64", "2.10.0")],
            ConsumerPrograms.TrainAndLoad);

        var restore = project.Dotnet("restore").Succeeded($"dotnet restore in {project.Folder}");
        // The run's own package, from the pack folder, into the machine's cache; TorchSharp as the package requires.
        string assets = File.ReadAllText(Path.Combine(project.Folder, "obj", "project.assets.json"));
        StringAssert.Contains(assets, $"\"Vae.MLNet/{package.Version}\"");
        StringAssert.Contains(assets, "\"TorchSharp/0.107.0\"");
        Assert.IsTrue(File.Exists(Path.Combine(PackedLibrary.GlobalPackagesFolder, "vae.mlnet", package.Version.ToLowerInvariant(), $"vae.mlnet.{package.Version.ToLowerInvariant()}.nupkg")),
            $"the package was not restored into {PackedLibrary.GlobalPackagesFolder}");

        string cachedNative = Path.Combine(PackedLibrary.GlobalPackagesFolder, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        string outputNative = Path.Combine(project.OutputFolder, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        byte[] cachedBefore = File.ReadAllBytes(cachedNative);
        bool fixNeeded = !ElfVersionNeeds.SystemLibstdcxxHas(ElfVersionNeeds.Glibcxx);
        Assert.AreEqual((ushort)0, ElfVersionNeeds.Flags(cachedNative, ElfVersionNeeds.Glibcxx), "TorchSharp's own file should require GLIBCXX_3.4.32 strictly");

        // With the fix turned off, the output holds TorchSharp's file as shipped, and (where libstdc++ lacks the
        // version) the app cannot load TorchSharp: the fix below is the package's doing, and needed.
        var unfixedBuild = project.Dotnet("build", "-c", "Release", "--no-restore", "-p:VaeMLNetSkipGlibcxxFix=true")
            .Succeeded("dotnet build -p:VaeMLNetSkipGlibcxxFix=true");
        CollectionAssert.AreEqual(cachedBefore, File.ReadAllBytes(outputNative), "with VaeMLNetSkipGlibcxxFix=true the output's libLibTorchSharp.so should be TorchSharp's own");
        if (fixNeeded)
        {
            var unfixedRun = project.RunProgram("train", Path.Combine(project.Folder, "unfixed"));
            Assert.AreNotEqual(0, unfixedRun.ExitCode, unfixedRun.Describe("the app without the GLIBCXX fix"));
            // The library's first torch call names the loader's reason and the remedy.
            StringAssert.Contains(unfixedRun.Output, $"version `{ElfVersionNeeds.Glibcxx}' not found", unfixedRun.Describe("the app without the GLIBCXX fix"));
            StringAssert.Contains(unfixedRun.Output, "unless VaeMLNetSkipGlibcxxFix=true", unfixedRun.Describe("the app without the GLIBCXX fix"));
        }

        var build = project.Dotnet("build", "-c", "Release", "--no-restore").Succeeded($"dotnet build in {project.Folder}");
        byte[] output = File.ReadAllBytes(outputNative);
        Assert.AreEqual(cachedBefore.Length, output.Length);
        int changed = cachedBefore.Zip(output).Count(p => p.First != p.Second);
        if (fixNeeded)
        {
            Assert.AreEqual(ElfVersionNeeds.Weak, ElfVersionNeeds.Flags(outputNative, ElfVersionNeeds.Glibcxx), $"the package's buildTransitive targets did not mark {ElfVersionNeeds.Glibcxx} weak in {outputNative}");
            Assert.AreEqual(1, changed, "the fix should change the one flags byte and nothing else");
        }
        else
        {
            Assert.AreEqual(0, changed, "this machine's libstdc++ has GLIBCXX_3.4.32: the file should be left as it is");
        }
        CollectionAssert.AreEqual(cachedBefore, File.ReadAllBytes(cachedNative), "the file in the NuGet cache must never be written");

        string runFolder = Path.Combine(project.Folder, "run");
        var train = project.RunProgram("train", runFolder).Succeeded("Consumer train");
        var accuracy = Regex.Match(train.Output, @"^MicroAccuracy: (\S+)\s*$", RegexOptions.Multiline);
        Assert.IsTrue(accuracy.Success, train.Output);
        double microAccuracy = double.Parse(accuracy.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.IsGreaterThanOrEqualTo(0.9, microAccuracy, $"FastTree on the 2-D latent means of three separated clusters:\n{train.Output}");
        Assert.IsTrue(File.Exists(Path.Combine(runFolder, "model.zip")));
        // The app runs on the ML.NET the suite was built for: the package's 5.0.1 minimum did not hold it back.
        StringAssert.Contains(train.Output, $"Microsoft.ML: {MLNetBuild.Version}", train.Output);
        var onnxSize = Regex.Match(train.Output, @"^Onnx: (\d+) bytes\s*$", RegexOptions.Multiline);
        Assert.IsTrue(onnxSize.Success, train.Output);
        Assert.IsGreaterThan(1000L, long.Parse(onnxSize.Groups[1].Value, CultureInfo.InvariantCulture), $"encoder.onnx should hold the encoder's weights:\n{train.Output}");

        var load = project.RunProgram("load", runFolder).Succeeded("Consumer load");
        StringAssert.Contains(load.Output, "VaeTransformer", load.Output);

        var trained = ReadPredictions(Path.Combine(runFolder, "train-engine.tsv"));
        var batched = ReadPredictions(Path.Combine(runFolder, "train-transform.tsv"));
        var loaded = ReadPredictions(Path.Combine(runFolder, "load-engine.tsv"));
        Assert.HasCount(300, trained);
        AssertSame(trained, loaded, "the loaded model's PredictionEngine (second process) vs the trained model's (first process)");
        AssertSame(batched, loaded, "the loaded model's PredictionEngine (second process) vs the trained model's batched Transform (first process)");
        Assert.IsGreaterThan(1, trained.Select(p => p.Label).Distinct().Count(), "the classifier should predict more than one class");

        TestContext.WriteLine(Regex.Match(train.Output, "^Timing: .*$", RegexOptions.Multiline).Value);
        TestContext.WriteLine($"pack {package.PackTime.TotalSeconds:F1} s, restore {restore.Duration.TotalSeconds:F1} s, build without fix {unfixedBuild.Duration.TotalSeconds:F1} s, " +
            $"build {build.Duration.TotalSeconds:F1} s, train {train.Duration.TotalSeconds:F1} s, load {load.Duration.TotalSeconds:F1} s; MicroAccuracy {microAccuracy:F3}");
        project.Passed();
    }

    private static void AssertSame(IReadOnlyList<(string Label, float[] Mean)> expected, IReadOnlyList<(string Label, float[] Mean)> actual, string what)
    {
        Assert.HasCount(expected.Count, actual, what);
        for (int row = 0; row < expected.Count; row++)
        {
            Assert.AreEqual(expected[row].Label, actual[row].Label, $"{what}: predicted class of row {row}");
            Assert.HasCount(2, actual[row].Mean, $"{what}: LatentMean of row {row}");
            for (int d = 0; d < 2; d++)
                Assert.AreEqual(expected[row].Mean[d], actual[row].Mean[d], 1e-6f, $"{what}: LatentMean[{d}] of row {row}");
        }
    }

    private static List<(string Label, float[] Mean)> ReadPredictions(string path) =>
        File.ReadLines(path).Select(line => line.Split('\t'))
            .Select(fields => (fields[0], fields[1..].Select(v => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray()))
            .ToList();
}
