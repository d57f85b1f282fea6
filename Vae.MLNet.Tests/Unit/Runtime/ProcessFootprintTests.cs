using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Tests.Packaging;

namespace Vae.MLNet.Tests.Unit.Runtime;

/// <summary>
/// What the library leaves in its host process, seen from a fresh process (tests/ProcessFootprint): loading a model,
/// PredictionEngine and Transform change nothing of it; a Fit changes it only while it runs, overlapping Fits included.
/// Observed: the environment as .NET and libc see it, libtorch's thread count (on the calling thread and on a new one,
/// which takes libtorch's process-wide value) and whether a malloc of 1, 8 or 48 MiB gets its own mmap (glibc's threshold).
/// </summary>
[TestClass]
public sealed class ProcessFootprintTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void LoadingAModelAndPredictingLeaveTheProcessAsTheyFoundIt()
    {
        string folder = Folder();
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 64).Select(i => new Row { Features = Enumerable.Range(0, 6).Select(j => (float)Math.Sin(i * 0.7 + j)).ToArray() }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        using (var model = ml.Transforms.VaeEncode(new VaeOptions { LatentDimension = 2, HiddenDimensions = [8], Epochs = 1, Seed = 3 }).Fit(data))
            ml.Model.Save(model, data.Schema, Path.Combine(folder, "model.zip"));
        var states = Run(folder, "predict", Path.Combine(folder, "model.zip"));
        AssertSame(states["before"], states["after"], "after loading the model and predicting (PredictionEngine, Transform)");
    }

    [TestMethod]
    public void AFitAndTwoOverlappingFitsPutTheProcessBack()
    {
        var states = Run(Folder(), "fit");
        int wanted = states["before"].GetProperty("Threads").GetInt32() == 1 ? 2 : 1;
        var during = states["during fit"];
        Assert.IsFalse(during.GetProperty("LargeMallocIsMmapped").GetBoolean(), "during the Fit, malloc serves blocks up to 32 MiB from the heap");
        if (!Vae.MLNet.Acceleration.Gemm.PackedGemm.IsPreferred)
            Assert.AreEqual(wanted, during.GetProperty("Threads").GetInt32(), "during the Fit, libtorch runs TrainingThreads");
        foreach (var (state, when) in new[]
        {
            ("after fit", "after a Fit with TrainingThreads set"),
            ("after overlapping fits", "after two overlapping Fits (TrainingThreads 1 and 3, the first to enter leaving first)"),
        })
        {
            AssertSame(states["before"], states[state], when, compareMalloc: false);
            // glibc's own dynamic rule, which the Fit's mallopt ended for good, would have raised the threshold past
            // the Fit's freed blocks; its fixed 128 KiB default would make every later batch an mmap of its own.
            Assert.IsFalse(states[state].GetProperty("MebibyteMallocIsMmapped").GetBoolean(), $"{when}, a 1 MiB block still comes from the heap");
            Assert.IsTrue(states[state].GetProperty("HugeMallocIsMmapped").GetBoolean(), $"{when}, a 48 MiB block (above the 32 MiB threshold left) is still its own mmap");
        }
    }

    [TestMethod]
    public void TheMallocSwitchInRuntimeconfigJsonKeepsMallocAsTheApplicationHasIt()
    {
        string folder = Folder();
        // The application's runtimeconfig.json with the switch, as <RuntimeHostConfigurationOption> in its project writes it.
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ProcessFootprint.runtimeconfig.json")))!;
        config["runtimeOptions"]!["configProperties"]!["Vae.MLNet.Malloc.Disable"] = true;
        string configPath = Path.Combine(folder, "switched.runtimeconfig.json");
        File.WriteAllText(configPath, config.ToJsonString());
        var states = Run(folder, ["--runtimeconfig", configPath], "fit");
        Assert.IsTrue(states["during fit"].GetProperty("LargeMallocIsMmapped").GetBoolean(), "with the switch, a Fit leaves malloc's thresholds alone");
        AssertSame(states["before"], states["after overlapping fits"], "after the Fits");
    }

    private string Folder()
    {
        string folder = Path.Combine(TestContext.TestRunResultsDirectory ?? Path.GetTempPath(), "footprint-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static Dictionary<string, JsonElement> Run(string folder, params string[] arguments) => Run(folder, [], arguments);

    private static Dictionary<string, JsonElement> Run(string folder, string[] hostOptions, params string[] arguments)
    {
        string program = Path.Combine(AppContext.BaseDirectory, "ProcessFootprint.dll");
        Assert.IsTrue(File.Exists(program), $"{program} is missing: the test project references tests/ProcessFootprint.");
        string result = Path.Combine(folder, "states.json");
        DotnetCli.Run(folder, ["exec", .. hostOptions, program, .. arguments, result], timeout: TimeSpan.FromMinutes(3)).Succeeded("the ProcessFootprint process");
        var states = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(File.ReadAllText(result))!;
        if (!states["before"].GetProperty("LargeMallocIsMmapped").GetBoolean())
            Assert.Inconclusive("an 8 MiB malloc is not mmapped in a fresh process here (not glibc, or its thresholds are set): the malloc observable cannot tell");
        return states;
    }

    // compareMalloc: false after a Fit, which leaves malloc's thresholds where glibc's dynamic rule would stand (NativeHeap).
    private static void AssertSame(JsonElement before, JsonElement after, string when, bool compareMalloc = true)
    {
        var differences = new List<string>();
        foreach (string name in compareMalloc ? ["Threads", "ThreadsOnANewThread", "LargeMallocIsMmapped"] : new[] { "Threads", "ThreadsOnANewThread" })
        {
            string was = before.GetProperty(name).GetRawText(), now = after.GetProperty(name).GetRawText();
            if (was != now) differences.Add($"{name} was {was}, is {now}");
        }
        foreach (string name in new[] { "DotnetEnvironment", "LibcEnvironment" })
        {
            var was = Variables(before.GetProperty(name));
            var now = Variables(after.GetProperty(name));
            foreach (string key in was.Keys.Union(now.Keys).Order(StringComparer.Ordinal))
                if (was.GetValueOrDefault(key) != now.GetValueOrDefault(key))
                    differences.Add($"{name}[{key}] was {was.GetValueOrDefault(key) ?? "unset"}, is {now.GetValueOrDefault(key) ?? "unset"}");
        }
        Assert.IsEmpty(differences, $"The process changed {when}: {string.Join("; ", differences)}.");
    }

    private static Dictionary<string, string> Variables(JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);

    /// <summary>The row the child process predicts: six features.</summary>
    public sealed class Row
    {
        [VectorType(6)]
        public float[] Features { get; set; } = [];
    }
}
