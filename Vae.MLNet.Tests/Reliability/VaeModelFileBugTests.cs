using System.Text.Json.Nodes;
using Vae.MLNet.Tests.Support;
using Vae.MLNet.Tests.Support.ModelFiles;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>
/// Regression tests for bugs fuzzing found in the VAE's loader: it used to rebuild the network and inference settings
/// from the saved settings without the checks <c>Fit</c> applies, and to build the network before looking at the
/// weights present. Saved settings now get Fit's checks, and a described network must fit the arrays present.
/// </summary>
[TestClass]
public sealed class VaeModelFileBugTests
{
    private static readonly ModelSample Vae = ModelSamples.Vae;

    private static byte[] Edit(string path, JsonNode? value, bool withScore = false) =>
        ModelZip.EditSettings(Vae.Bytes, c =>
        {
            ModelZip.Set(c, path, value);
            if (withScore)
                ModelZip.Set(c, "Columns/AnomalyScore", "Score");
        });

    [TestMethod]
    public void SavedSettingsThatCrashTransformAreRejectedOnLoad()
    {
        ModelLoadCheck.ExpectRejected(Edit("Inference/RefinementSteps", -1), Vae.Data, "RefinementSteps");
        ModelLoadCheck.ExpectRejected(Edit("Inference/AnomalyScoreImportanceSamples", 1 << 28, withScore: true), Vae.Data, "AnomalyScoreImportanceSamples");
        ModelLoadCheck.ExpectRejected(Edit("Spec/LogVarianceMax", 1e308), Vae.Data, "LogVariance");
    }

    [TestMethod]
    public void SavedSettingsThatFitWouldRejectAreRejectedOnLoad()
    {
        var cases = new (string Path, JsonNode? Value)[]
        {
            ("Spec/ObservationVariance", -1), ("Spec/ObservationVariance", 0), ("Spec/ObservationVariance", "NaN"),
            ("Spec/LogVarianceMin", 20), ("Spec/LogVarianceMax", "NaN"), ("Spec/Architecture", 7), ("Spec/Likelihood", 9),
            ("Spec/InputDimension", 0), ("Spec/LatentDimension", -2), ("Spec/ConditionDimension", -1),
            ("Inference/RefinementLearningRate", "NaN"), ("Inference/RefinementLearningRate", -1),
            ("Inference/AnomalyScoreImportanceSamples", -1), ("Columns/Mean", "LatentLogVariance"), ("Columns/Input", " "),
        };
        foreach (var (path, value) in cases)
            ModelLoadCheck.ExpectRejected(Edit(path, value), Vae.Data, path.Split('/')[^1]);
    }

    [TestMethod]
    public void NullsAndMissingMembersInVaeJsonAreRejectedByName()
    {
        ModelLoadCheck.ExpectRejected(Edit("Columns/Mean", null), Vae.Data, "Vae.json", "Mean");
        ModelLoadCheck.ExpectRejected(ModelZip.EditSettings(Vae.Bytes, c => c["Columns"]!.AsObject().Remove("Mean")), Vae.Data, "Vae.json", "Mean");
        ModelLoadCheck.ExpectRejected(Edit("Spec", null), Vae.Data, "Vae.json", "Spec");
        ModelLoadCheck.ExpectRejected(Edit("History/0", null), Vae.Data, "Vae.json", "null in the training history");
        ModelLoadCheck.ExpectRejected(ModelZip.EditVaeEntry(Vae.Bytes, ModelZip.Settings, _ => [0xC3, 0x28]), Vae.Data, "Vae.json", "UTF-8");
        ModelLoadCheck.ExpectRejected(ModelZip.EditVaeEntry(Vae.Bytes, ModelZip.Settings, _ => "null"u8.ToArray()), Vae.Data, "Vae.json");
    }

    [TestMethod]
    public void ANetworkLargerThanItsArraysIsRejectedBeforeItIsBuilt()
    {
        // 4 inputs × 2^24 hidden × 2 would be 512 MB of weights if built; the file holds a few hundred bytes.
        var wide = Edit("Spec/HiddenDimensions", new JsonArray(1 << 24));
        var deep = Edit("Spec/HiddenDimensions", new JsonArray(Enumerable.Range(0, 60).Select(_ => (JsonNode?)4096).ToArray()));
        var latent = Edit("Spec/LatentDimension", 1 << 26);
        long growth = ProcessMemory.PeakGrowth(() =>
        {
            ModelLoadCheck.ExpectRejected(wide, Vae.Data, "weights", "the file holds");
            ModelLoadCheck.ExpectRejected(deep, Vae.Data, "weights");
            ModelLoadCheck.ExpectRejected(latent, Vae.Data, "weights");
            ModelLoadCheck.ExpectRejected(Edit("Spec/HiddenDimensions", new JsonArray(int.MaxValue, int.MaxValue)), Vae.Data, "HiddenDimensions");
        });
        Console.WriteLine($"peak memory growth while rejecting huge networks: {ProcessMemory.Megabytes(growth)}");
        Assert.IsTrue(growth < 100L << 20, $"rejecting the file grew memory by {ProcessMemory.Megabytes(growth)}");
    }
}
