using Microsoft.ML;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.Acceleration;

/// <summary>
/// The AppContext switch (as runtimeconfig.json sets it) turns the kernels off for every Fit whatever its option, and
/// for every loaded model. Without it, a loaded model computes as the Fit that wrote it chose (UseOwnKernels is saved).
/// </summary>
[TestClass]
[DoNotParallelize] // sets process-wide AppContext switches
public sealed class ProcessSwitchTests
{
    [TestMethod]
    [DataRow("Vae.MLNet.Kernels.Disable")]
    [DataRow("Vae.MLNet.Gemm.Disable", DisplayName = "the packed product's older switch")]
    public void TheSwitchGivesFitsAndLoadedModelsThePlainImplementation(string name)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(CombinationData.Rows(24, missing: false));
        var options = new VaeOptions { LatentDimension = 2, HiddenDimensions = [6], Epochs = 1, BatchSize = 8, Seed = 2 };
        using var saved = new MemoryStream();
        using (var model = ml.Transforms.VaeEncode(options).Fit(data))
        {
            Assert.IsTrue(model.Network.Acceleration.UsesOwnKernels, "without the switch, the option's default");
            ml.Model.Save(model, data.Schema, saved);
        }
        AppContext.SetSwitch(name, true);
        try
        {
            using var fitted = ml.Transforms.VaeEncode(options).Fit(data);
            Assert.IsFalse(fitted.Network.Acceleration.UsesOwnKernels, "the switch overrides UseOwnKernels = true");
            using var loaded = Load(ml, saved);
            Assert.IsFalse(loaded.Network.Acceleration.UsesOwnKernels, "a model saved with the kernels loads without them");
        }
        finally
        {
            AppContext.SetSwitch(name, false);
        }
        using var reloaded = Load(ml, saved);
        Assert.IsTrue(reloaded.Network.Acceleration.UsesOwnKernels, "with the switch off again, loaded models use the kernels");
    }

    [TestMethod]
    public void AModelFittedWithoutTheKernelsLoadsWithoutThemAndGivesTheSameBits()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(CombinationData.Rows(24, missing: false));
        var options = new VaeOptions { LatentDimension = 2, HiddenDimensions = [6], Epochs = 1, BatchSize = 8, Seed = 2, RefinementSteps = 2, UseOwnKernels = false };
        using var saved = new MemoryStream();
        using var model = ml.Transforms.VaeEncode(options).Fit(data);
        ml.Model.Save(model, data.Schema, saved);
        using var loaded = Load(ml, saved);
        Assert.IsFalse(loaded.Network.Acceleration.UsesOwnKernels, "UseOwnKernels = false is saved with the model");
        // Refinement steps Adam per row: the fused and the libtorch step differ in rounding, so only the same door gives the same bits.
        CollectionAssert.AreEqual(Means(ml, model, data), Means(ml, loaded, data));
    }

    private static float[] Means(MLContext ml, ITransformer model, IDataView data) =>
        ml.Data.CreateEnumerable<VaePrediction>(model.Transform(data), reuseRowObject: false).SelectMany(r => r.LatentMean).ToArray();

    private static VaeTransformer Load(MLContext ml, MemoryStream saved)
    {
        saved.Position = 0;
        return ml.Model.Load(saved, out _).FindVae();
    }
}
