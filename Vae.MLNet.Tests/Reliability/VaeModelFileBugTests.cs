using System.Text.Json.Nodes;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>
/// Bugs in the VAE's loader (Vae/VaeTransformer.Persistence.cs, outside this branch's files): it rebuilds the network
/// and inference settings from the saved options without the checks <c>Fit</c> applies to <see cref="VaeOptions"/>.
/// The tests state the expected behaviour and are ignored until the loader is fixed; the fuzzing properties leave
/// the affected options alone meanwhile (<see cref="IsUnvalidated"/>).
/// </summary>
[TestClass]
public sealed class VaeModelFileBugTests
{
    private const string Unvalidated =
        "bug: VaeTransformer.Load does not validate saved inference settings and spec values (Fit's VaeOptionsValidation is skipped)";

    private static readonly ModelSample Vae = ModelSamples.Vae;

    /// <summary>Option paths (in a VAE's component.json) whose values the VAE loader takes unchecked.</summary>
    public static bool IsUnvalidated(string path) =>
        path.StartsWith("/options/Inference", StringComparison.Ordinal) || path.StartsWith("/options/Spec/LogVariance", StringComparison.Ordinal)
        || path.StartsWith("/options/Spec/ObservationVariance", StringComparison.Ordinal);

    private static byte[] Edit(string path, JsonNode? value, bool withScore = false) =>
        ModelEdits.EditJson(Vae.Bytes, ModelEdits.FirstComponent, c =>
        {
            ModelEdits.Set(c, path, value);
            if (withScore)
                ModelEdits.Set(c, "options/Columns/AnomalyScore", "Score");
        });

    [TestMethod]
    [Ignore(Unvalidated + ": RefinementSteps -1 makes Transform throw OverflowException, a huge AnomalyScoreImportanceSamples IndexOutOfRangeException (int overflow in RowNoise.Generate), LogVarianceMax 1e308 a TorchException from clamp")]
    public void SavedSettingsThatCrashTransformAreRejectedOnLoad()
    {
        ModelLoadCheck.ExpectRejected(Edit("options/Inference/RefinementSteps", -1), Vae.Data, "RefinementSteps");
        ModelLoadCheck.ExpectRejected(Edit("options/Inference/AnomalyScoreImportanceSamples", 1 << 28, withScore: true), Vae.Data, "AnomalyScoreImportanceSamples");
        ModelLoadCheck.ExpectRejected(Edit("options/Spec/LogVarianceMax", 1e308), Vae.Data, "LogVariance");
    }

    [TestMethod]
    [Ignore(Unvalidated + ": values Fit rejects (negative or NaN variances and rates, an empty log-variance range, an undefined architecture, two outputs with one name) load silently")]
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
    [Ignore("bug: VaeTransformer.Load builds the network from the saved spec before comparing it with the arrays present: a 2 KB file declaring HiddenDimensions [16777216] allocates and initializes about 1 GB (measured peak growth 1.0 GB) before the shape check rejects it; [268435456] would need about 17 GB")]
    public void ANetworkLargerThanItsArraysIsRejectedBeforeItIsBuilt()
    {
        var bytes = Edit("options/Spec/HiddenDimensions", new JsonArray(1 << 24));
        long growth = ProcessMemory.PeakGrowth(() => ModelLoadCheck.ExpectRejected(bytes, Vae.Data, "encoder.0.weight"));
        Assert.IsTrue(growth < 100L << 20, $"rejecting the file grew memory by {ProcessMemory.Megabytes(growth)}");
    }
}
