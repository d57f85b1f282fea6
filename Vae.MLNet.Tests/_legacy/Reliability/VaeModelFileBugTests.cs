using System.Text.Json.Nodes;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>
/// Regression tests for bugs fuzzing found in the VAE's loader: it used to rebuild the network and inference settings
/// from the saved options without the checks <c>Fit</c> applies, and to build the network before looking at the
/// weights present. Saved settings now get Fit's checks, and a described network must fit the arrays present.
/// </summary>
[TestClass]
public sealed class VaeModelFileBugTests
{
    private static readonly ModelSample Vae = ModelSamples.Vae;

    private static byte[] Edit(string path, JsonNode? value, bool withScore = false) =>
        ModelEdits.EditJson(Vae.Bytes, ModelEdits.FirstComponent, c =>
        {
            ModelEdits.Set(c, path, value);
            if (withScore)
                ModelEdits.Set(c, "options/Columns/AnomalyScore", "Score");
        });

    [TestMethod]
    public void SavedSettingsThatCrashTransformAreRejectedOnLoad()
    {
        ModelLoadCheck.ExpectRejected(Edit("options/Inference/RefinementSteps", -1), Vae.Data, "RefinementSteps");
        ModelLoadCheck.ExpectRejected(Edit("options/Inference/AnomalyScoreImportanceSamples", 1 << 28, withScore: true), Vae.Data, "AnomalyScoreImportanceSamples");
        ModelLoadCheck.ExpectRejected(Edit("options/Spec/LogVarianceMax", 1e308), Vae.Data, "LogVariance");
    }

    [TestMethod]
    public void SavedSettingsThatFitWouldRejectAreRejectedOnLoad()
    {
        var cases = new (string Path, JsonNode? Value)[]
        {
            ("options/Spec/ObservationVariance", -1), ("options/Spec/ObservationVariance", 0), ("options/Spec/ObservationVariance", "NaN"),
            ("options/Spec/LogVarianceMin", 20), ("options/Spec/LogVarianceMax", "NaN"), ("options/Spec/Architecture", 7),
            ("options/Inference/RefinementLearningRate", "NaN"), ("options/Inference/RefinementLearningRate", -1),
            ("options/Inference/AnomalyScoreImportanceSamples", -1), ("options/Columns/Mean", "LatentLogVariance"),
        };
        foreach (var (path, value) in cases)
            ModelLoadCheck.ExpectRejected(Edit(path, value), Vae.Data, path.Split('/')[^1]);
    }

    [TestMethod]
    public void ANetworkLargerThanItsArraysIsRejectedBeforeItIsBuilt()
    {
        var bytes = Edit("options/Spec/HiddenDimensions", new JsonArray(1 << 24));
        long growth = ProcessMemory.PeakGrowth(() => ModelLoadCheck.ExpectRejected(bytes, Vae.Data, "weights"));
        Assert.IsTrue(growth < 100L << 20, $"rejecting the file grew memory by {ProcessMemory.Megabytes(growth)}");
    }
}
