using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Acceleration;
using Vae.MLNet.Runtime;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.Acceleration;

/// <summary>
/// The same small fits with the library's kernels (UseOwnKernels) and without: the outputs agree within float32
/// rounding, and the option, the AppContext switch and the environment variable each give the plain implementation.
/// On a processor without AVX-512 the kernels that differ are the fused Adam step (training) and the managed encoder
/// (few or sparse rows); with AVX-512 on AMD the packed products and convolutions too.
/// </summary>
[TestClass]
public sealed class BothWaysTests
{
    // Fused Adam and TorchSharp's Adam round the same float32 arithmetic differently (1 ulp here and there), and the
    // managed encoder and the packed products sum in another order than libtorch: ~1e-7 relative per operation, over
    // the 9 steps of these fits. 1e-4 of the values' scale is far above that and far below what a wrong kernel gives
    // (off by the values' own size).
    private const double Tolerance = 1e-4;

    // With batch norm in training, a 16-row batch's spread divides the activations and Adam divides each gradient by its
    // running RMS: where either is small, a 1-ulp difference becomes a parameter step that differs by up to the learning
    // rate (1e-3) per step, so over 9 steps the outputs may part by ~1e-2 (3.6e-3 was seen). Still far from a wrong kernel.
    private const double BatchNormTolerance = 2e-2;

    public static IEnumerable<object[]> Vaes =>
    [
        ["MLP with a condition", Tolerance, (Action<VaeOptions>)(o => { o.ConditionColumnName = "ClassVector"; o.HiddenDimensions = [12, 6]; })],
        ["MLP with batch norm and a condition", BatchNormTolerance, (Action<VaeOptions>)(o => { o.UseBatchNorm = true; o.ConditionColumnName = "ClassVector"; o.HiddenDimensions = [12, 6]; })],
        ["convolutional with batch norm", BatchNormTolerance, (Action<VaeOptions>)(o => { o.Architecture = VaeArchitecture.Convolutional; o.ImageShape = [1, 4, 4]; o.HiddenDimensions = [4]; o.UseBatchNorm = true; })],
        ["convolutional", Tolerance, (Action<VaeOptions>)(o => { o.Architecture = VaeArchitecture.Convolutional; o.ImageShape = [1, 4, 4]; o.HiddenDimensions = [4]; })],
    ];

    [TestMethod]
    [DynamicData(nameof(Vaes))]
    public void TheVaesOutputsAgreeWithAndWithoutTheKernels(string name, double tolerance, Action<VaeOptions> configure)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(CombinationData.Rows(48, missing: false));
        var few = ml.Data.TakeRows(data, 3);
        (float[][] batch, float[][] fewRows) Fit(bool own)
        {
            var options = new VaeOptions { LatentDimension = 3, Epochs = 3, BatchSize = 16, Seed = 4, UseOwnKernels = own };
            configure(options);
            using var model = ml.Transforms.VaeEncode(options).Fit(data);
            Assert.AreEqual(own && !ApplicationChoice.Kernels.IsChosen, model.Network.Acceleration.UsesOwnKernels, $"{name}: the network computes as the option says");
            return (Columns(ml, model.Transform(data)), Columns(ml, model.Transform(few)));
        }
        var (ownBatch, ownFew) = Fit(own: true);
        var (plainBatch, plainFew) = Fit(own: false);
        AssertClose(plainBatch, ownBatch, $"{name}, 48 rows", tolerance);
        AssertClose(plainFew, ownFew, $"{name}, 3 rows (the managed encoder's case)", tolerance);
    }

    [TestMethod]
    public void TheAutoencodersOutputsAgreeWithAndWithoutTheKernels()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(CombinationData.Rows(48, missing: false).Select(r => new CombinationFeatures { Features = r.Features }));
        float[][] Fit(bool own)
        {
            var options = new AutoencoderOptions { LatentDimension = 3, HiddenDimensions = [8], Epochs = 3, BatchSize = 16, Seed = 4, UseOwnKernels = own };
            using var model = ml.Transforms.AutoencoderEncode(options).Fit(data);
            Assert.AreEqual(own && !ApplicationChoice.Kernels.IsChosen, model.Network.Acceleration.UsesOwnKernels);
            var output = model.Transform(data);
            return [.. output.GetColumn<float[]>("Latent").Concat(output.GetColumn<float[]>("Reconstruction"))];
        }
        AssertClose(Fit(own: false), Fit(own: true), "autoencoder", Tolerance);
    }

    [TestMethod]
    public void TheProcessSwitchTurnsEveryKernelOffWhateverTheOption()
    {
        Assert.IsTrue(Accelerations.Choose(useOwnKernels: true, processOptedOut: false).UsesOwnKernels);
        Assert.IsFalse(Accelerations.Choose(useOwnKernels: false, processOptedOut: false).UsesOwnKernels);
        Assert.IsFalse(Accelerations.Choose(useOwnKernels: true, processOptedOut: true).UsesOwnKernels);
        Assert.IsInstanceOfType<PlainLibtorch>(Accelerations.Choose(useOwnKernels: true, processOptedOut: true));

        var kernels = ApplicationChoice.Kernels;
        Assert.IsFalse(kernels.IsChosenBy(_ => null, _ => false));
        foreach (var name in new[] { "Vae.MLNet.Kernels.Disable", "Vae.MLNet.Gemm.Disable" })
            Assert.IsTrue(kernels.IsChosenBy(_ => null, s => s == name), name);
        foreach (var (variable, value) in new[] { ("VAE_MLNET_KERNELS", "off"), ("VAE_MLNET_KERNELS", "default"), ("VAE_MLNET_GEMM", "default") })
            Assert.IsTrue(kernels.IsChosenBy(v => v == variable ? value : null, _ => false), $"{variable}={value}");
        Assert.IsFalse(kernels.IsChosenBy(v => v == "VAE_MLNET_KERNELS" ? "on" : null, _ => false));
    }

    [TestMethod]
    public void ThePlainImplementationHasNoKernelAnywhere()
    {
        var plain = Accelerations.Choose(useOwnKernels: false, processOptedOut: false);
        Assert.IsNull(plain.DenseEncoder(() => throw new AssertFailedException("the plain door never reads the description")));
        using var parameter = new TorchSharp.Modules.Parameter(TorchSharp.torch.zeros(3));
        using var adam = TorchSharp.torch.optim.Adam([parameter], lr: 0.1);
        Assert.IsInstanceOfType<Vae.MLNet.Acceleration.Optimizer.LibtorchAdamStep>(plain.AdamStep(adam, [parameter], 0.1));
        Assert.IsInstanceOfType<Vae.MLNet.Acceleration.Optimizer.FusedAdamStep>(OwnKernels.Instance.AdamStep(adam, [parameter], 0.1));
    }

    private static float[][] Columns(MLContext ml, IDataView output) =>
        [.. output.GetColumn<float[]>("LatentMean").Concat(output.GetColumn<float[]>("LatentLogVariance")).Concat(output.GetColumn<float[]>("Reconstruction"))];

    private static void AssertClose(float[][] expected, float[][] actual, string what, double tolerance)
    {
        Assert.HasCount(expected.Length, actual, what);
        double scale = Math.Max(1, expected.SelectMany(v => v).Max(Math.Abs));
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
            for (int j = 0; j < expected[i].Length; j++)
                worst = Math.Max(worst, Math.Abs(expected[i][j] - actual[i][j]));
        Assert.IsTrue(worst <= tolerance * scale, $"{what}: the largest difference is {worst:G3} (scale {scale:G3})");
        Assert.IsTrue(expected.SelectMany(v => v).Distinct().Count() > 10, $"{what}: the outputs vary, so agreeing means something");
    }
}
