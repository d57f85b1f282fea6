using System.Globalization;
using System.Text.RegularExpressions;

namespace Vae.MLNet.Tests.Packaging;

/// <summary>
/// A fresh console project consumes the packed Vae.MLNet from a local folder source, the way a user would:
/// it restores, builds (running the package's build-time check) and runs a VaeEncode pipeline. About 10 s per
/// test here with the build server warm, so these run with the default (fast) suite.
/// </summary>
[TestClass]
public sealed class PackageConsumerTests
{
    private const string VaeEncodeProgram = """
        using System.Globalization;
        using Vae.MLNet;
        using Vae.MLNet.Data;

        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 64)
            .Select(i => new Row { Features = Enumerable.Range(0, 8).Select(j => (float)Math.Sin(0.3 * i + j)).ToArray() })
            .ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        using var model = ml.Transforms
            .VaeEncode(new VaeOptions { LatentDimension = 2, Epochs = 2, HiddenDimensions = new[] { 8 } })
            .Fit(data);
        var first = ml.Data.CreateEnumerable<Encoded>(model.Transform(data), reuseRowObject: false).First();
        Console.WriteLine("LatentMean: " + string.Join(" ", first.LatentMean.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));

        // Where the process loaded the native shim from (the mapped file's path is the last field of /proc/self/maps).
        string? shim = File.ReadLines("/proc/self/maps")
            .Where(line => line.EndsWith("/libvae_native.so", StringComparison.Ordinal))
            .Select(line => line[line.IndexOf('/')..])
            .FirstOrDefault();
        Console.WriteLine("NativeShim: " + shim);

        public sealed class Row
        {
            [VectorType(8)] public float[] Features { get; set; } = [];
        }

        public sealed class Encoded
        {
            public float[] LatentMean { get; set; } = [];
        }
        """;

    [TestMethod]
    public void ConsoleAppRestoresThePackageAndRunsVaeEncodeWithTheShimFromRuntimesLinuxX64()
    {
        if (!OperatingSystem.IsLinux()) Assert.Inconclusive("The package's native shim is for linux-x64 only.");
        using var project = ConsumerProject.Create(PackedLibrary.Get(), VaeEncodeProgram);

        var run = project.Dotnet("run", "-c", "Release");
        Assert.AreEqual(0, run.ExitCode, run.Describe($"dotnet run in {project.Folder}"));

        var latent = Regex.Match(run.Output, @"^LatentMean: (\S+) (\S+)\s*$", RegexOptions.Multiline);
        Assert.IsTrue(latent.Success, $"no two-dimensional LatentMean line in the output:\n{run.Output}");
        foreach (var value in latent.Groups.Values.Skip(1))
        {
            Assert.IsTrue(float.TryParse(value.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out float mean) && float.IsFinite(mean),
                $"latent mean '{value.Value}' is not a finite number:\n{run.Output}");
        }

        // The shim came from the package's runtimes/linux-x64/native folder, copied under the app's output.
        var shim = Regex.Match(run.Output, @"^NativeShim: (.+?)\s*$", RegexOptions.Multiline);
        Assert.IsTrue(shim.Success && shim.Groups[1].Value.Length > 0, $"the program did not report where the shim was loaded from:\n{run.Output}");
        string loaded = shim.Groups[1].Value;
        string expected = Path.Combine(project.Folder, "bin", "Release", "net10.0", "runtimes", "linux-x64", "native", "libvae_native.so");
        Assert.AreEqual(expected, loaded, "the shim was not loaded from the package's runtimes/linux-x64/native asset");

        // The package was restored from the local folder into the project's own cache.
        string restored = Path.Combine(project.PackagesCache, "vae.mlnet", project.Package.Version.ToLowerInvariant());
        Assert.IsTrue(Directory.Exists(restored), $"{restored} is missing: the package was not restored into the test's own cache");
        project.Passed();
    }

    [TestMethod]
    public void BuildWarnsWithTheInstallCommandWhenLibtorchIsMissingAndNeverFails()
    {
        if (!OperatingSystem.IsLinux()) Assert.Inconclusive("The libtorch check looks in Linux library folders.");
        // A consumer that treats warnings as errors, C# and MSBuild alike: the check must still not break its build.
        using var project = ConsumerProject.Create(PackedLibrary.Get(), "Console.WriteLine(typeof(Vae.MLNet.MLContext).Name);\n",
            "<TreatWarningsAsErrors>true</TreatWarningsAsErrors><MSBuildTreatWarningsAsErrors>true</MSBuildTreatWarningsAsErrors>");
        string noLibtorch = Path.Combine(project.Folder, "empty-lib");
        Directory.CreateDirectory(noLibtorch);

        // libtorch absent (the check looks only in an empty folder): a warning that says what to install.
        var missing = project.Dotnet("build", "-c", "Release", $"-p:VaeMLNetLibtorchSearchPath={noLibtorch}");
        Assert.AreEqual(0, missing.ExitCode, missing.Describe("dotnet build without libtorch"));
        StringAssert.Contains(missing.Output, "warning VAEMLNET001", missing.Output);
        StringAssert.Contains(missing.Output, "libtorch.so.1.13, libtorch_cpu.so.1.13, libc10.so.1.13 not found in " + noLibtorch, missing.Output);
        StringAssert.Contains(missing.Output, "sudo apt-get install libtorch1.13 libopenblas0-pthread", missing.Output);
        StringAssert.Contains(missing.Output, "VaeMLNetSkipLibtorchCheck=true", missing.Output);

        // The property silences it.
        var skipped = project.Dotnet("msbuild", "-t:VaeMLNetCheckLibtorch", "-nologo", $"-p:VaeMLNetLibtorchSearchPath={noLibtorch}", "-p:VaeMLNetSkipLibtorchCheck=true");
        Assert.AreEqual(0, skipped.ExitCode, skipped.Describe("the check with VaeMLNetSkipLibtorchCheck=true"));
        Assert.IsFalse(skipped.Output.Contains("VAEMLNET", StringComparison.Ordinal), skipped.Output);

        // With the usual folders, this machine's libtorch (the shim was built against it) is found: no warning.
        if (File.Exists("/usr/lib/x86_64-linux-gnu/libtorch_cpu.so.1.13"))
        {
            var installed = project.Dotnet("msbuild", "-t:VaeMLNetCheckLibtorch", "-nologo");
            Assert.AreEqual(0, installed.ExitCode, installed.Describe("the check with libtorch installed"));
            Assert.IsFalse(installed.Output.Contains("VAEMLNET", StringComparison.Ordinal), installed.Output);
        }

        // A program built for another platform is told that only linux-x64 is supported.
        var windows = project.Dotnet("msbuild", "-t:VaeMLNetCheckLibtorch", "-nologo", "-p:RuntimeIdentifier=win-x64");
        Assert.AreEqual(0, windows.ExitCode, windows.Describe("the check for win-x64"));
        StringAssert.Contains(windows.Output, "warning VAEMLNET002", windows.Output);
        StringAssert.Contains(windows.Output, "Vae.MLNet supports linux-x64 only", windows.Output);
        Assert.IsFalse(windows.Output.Contains("VAEMLNET001", StringComparison.Ordinal), windows.Output);
        project.Passed();
    }
}
