using TorchSharp;
using Vae.MLNet.Acceleration;
using Vae.MLNet.Acceleration.Convolutions;
using Vae.MLNet.Acceleration.Gemm;
using Vae.MLNet.Networks;
using Vae.MLNet.Runtime;
using static TorchSharp.torch;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.Networks;

/// <summary>
/// The convolutional VAE's layers, all three ways they compute (libtorch's float32 kernels, unfold/fold with a matrix
/// product, and the patch matrix with PackedGemm), against libtorch's float64 <c>conv2d</c> and <c>conv_transpose2d</c>, outputs and gradients. On an AMD
/// EPYC with AVX-512, libtorch's float32 oneDNN kernels returned errors up to the values' own size for few channels
/// unless oneDNN is capped at AVX2 (<c>Acceleration/Convolutions/ConvolutionPaths.cs</c>, <c>Runtime/OneDnnKernels.cs</c>); the layers
/// keep off them there unless the application capped oneDNN itself, and elsewhere use them only where
/// <c>NativeConvolutions</c> found them right.
/// </summary>
[TestClass]
public sealed class StridedConvolutionTests
{
    /// <summary>(rows, in, out, size, output padding) around the shapes libtorch's float32 kernels got wrong (few channels, small images), odd sizes and output padding.</summary>
    private static readonly int[][] ShapeList =
    [
        [1, 1, 1, 1, 0, 0], [7, 3, 1, 2, 0, 0], [32, 8, 1, 4, 0, 0], [32, 8, 2, 3, 1, 1], [5, 16, 8, 7, 1, 0],
        [4, 4, 3, 6, 0, 1], [2, 64, 32, 7, 0, 0], [3, 32, 1, 14, 0, 0], [2, 2, 1, 5, 1, 1], [4, 24, 48, 7, 1, 0], [2, 3, 4, 20, 1, 0],
    ];

    /// <summary>Each shape computed each way (a <see cref="ConvolutionPath"/> by name: the enum is internal).</summary>
    public static IEnumerable<object[]> Shapes =>
        ShapeList.SelectMany(shape => Enum.GetNames<ConvolutionPath>().Select(path => shape.Cast<object>().Append(path).ToArray()));

    [TestMethod]
    [DynamicData(nameof(Shapes))]
    public void TheTransposedConvolutionMatchesLibtorchsFloat64OneAndItsGradients(int batch, int inChannels, int outChannels, int size, int padHeight, int padWidth, string way)
    {
        var path = Enum.Parse<ConvolutionPath>(way);
        SkipWhereUnavailable(path);
        using var scope = NewDisposeScope();
        manual_seed(batch * 1000 + inChannels * 10 + outChannels);
        using var layer = new StridedTransposedConvolution(inChannels, outChannels, (padHeight, padWidth), new OwnKernels(path));
        var x = rand(batch, inChannels, size, size + 1);
        var y = AssertMatchesFloat64(layer, x, (x64, weight64, bias64) =>
            nn.functional.conv_transpose2d(x64, weight64, bias64, strides: [2, 2], padding: [1, 1], output_padding: [padHeight, padWidth]));
        TensorChecks.Shape([batch, outChannels, 2 * size + padHeight, 2 * (size + 1) + padWidth], y);
    }

    [TestMethod]
    [DynamicData(nameof(Shapes))]
    public void TheConvolutionMatchesLibtorchsFloat64ConvolutionAndItsGradients(int batch, int inChannels, int outChannels, int size, int padHeight, int padWidth, string way)
    {
        var path = Enum.Parse<ConvolutionPath>(way);
        SkipWhereUnavailable(path);
        using var scope = NewDisposeScope();
        manual_seed(batch * 1000 + inChannels * 10 + outChannels);
        using var layer = new StridedConvolution(inChannels, outChannels, new OwnKernels(path));
        // Odd and even sizes: the output is ⌊(size + 2 − 4) / 2⌋ + 1 each way.
        var x = rand(batch, inChannels, 2 * size + padHeight, 2 * size + 1 + padWidth);
        var y = AssertMatchesFloat64(layer, x, (x64, weight64, bias64) => nn.functional.conv2d(x64, weight64, bias64, strides: [2, 2], padding: [1, 1]));
        TensorChecks.Shape([batch, outChannels, (int)((x.size(2) - 2) / 2 + 1), (int)((x.size(3) - 2) / 2 + 1)], y);
    }

    [TestMethod]
    public void OnAnAmdProcessorWithAvx512TheLayersKeepOffOneDnnInFitAndTransform()
    {
        if (!Processor.IsAmdWithAvx512) Assert.Inconclusive("not an AMD processor with AVX-512: libtorch's kernels serve where the self-check finds them right");
        if (!OneDnnKernels.AreAvoided) Assert.Inconclusive("this process capped oneDNN below AVX-512 itself, or opted out (VAE_MLNET_ONEDNN / Vae.MLNet.OneDnnAvoidance.Disable)");
        Assert.IsFalse(NativeConvolutions.AreUsed);
        Assert.AreNotEqual(ConvolutionPath.Native, ConvolutionPaths.Accelerated, "outside a Fit (Transform)");
        using var scope = NewDisposeScope();
        var images = rand(2, 24, 7, 8);
        var weight = rand(48, 24, 4, 4);
        int before = PackedGemm.Threads;
        try
        {
            // One packed thread: outside a Fit (Transform); two: in a Fit.
            foreach (int threads in new[] { 1, 2 })
            {
                PackedGemm.Threads = threads;
                Assert.AreNotEqual(ConvolutionPath.Native, ConvolutionPaths.Choose(ConvolutionPaths.Accelerated, images, weight, smallestSize: 2), $"{threads} packed-kernel threads");
            }
        }
        finally
        {
            PackedGemm.Threads = before;
        }
        Assert.IsNull(Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA"), "the library sets no cap behind the application's back");
    }

    [TestMethod]
    public void OneDnnIsAvoidedOnlyOnAmdWithAvx512AndNotWhereTheApplicationCappedIt()
    {
        Func<string, string?> none = _ => null;
        Func<string, bool> noSwitch = _ => false;
        Assert.IsNull(OneDnnKernels.ReasonToAvoid(amdWithAvx512: false, none, noSwitch));
        Assert.IsNotNull(OneDnnKernels.ReasonToAvoid(amdWithAvx512: true, none, noSwitch));
        foreach (var (name, value) in new[] { ("ONEDNN_MAX_CPU_ISA", "AVX512_CORE"), ("DNNL_MAX_CPU_ISA", "AVX512_CORE_BF16"), ("ONEDNN_MAX_CPU_ISA", "ALL"), ("ONEDNN_MAX_CPU_ISA", "AVX10_1_512") })
            Assert.IsNotNull(OneDnnKernels.ReasonToAvoid(amdWithAvx512: true, n => n == name ? value : null, noSwitch), $"{name}={value}");
        foreach (var (name, value) in new[] { ("ONEDNN_MAX_CPU_ISA", "AVX2"), ("DNNL_MAX_CPU_ISA", "AVX2_VNNI"), ("ONEDNN_MAX_CPU_ISA", "SSE41"), ("VAE_MLNET_ONEDNN", "default") })
            Assert.IsNull(OneDnnKernels.ReasonToAvoid(amdWithAvx512: true, n => n == name ? value : null, noSwitch), $"{name}={value}");
        Assert.IsNull(OneDnnKernels.ReasonToAvoid(amdWithAvx512: true, none, n => n == "Vae.MLNet.OneDnnAvoidance.Disable"), "the AppContext switch");
    }

    // Where libtorch's kernels were found wrong in this process, the layers do not use them: nothing to test. The
    // packed path needs AVX-512.
    private static void SkipWhereUnavailable(ConvolutionPath path)
    {
        if (path == ConvolutionPath.Native && !NativeConvolutions.AreUsed)
            Assert.Inconclusive("libtorch's convolution kernels are known wrong here or disagree with unfold/fold in this process, so the layers do not use them");
        if (path == ConvolutionPath.Packed && !System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
            Assert.Inconclusive("the packed convolutions need AVX-512");
    }

    /// <summary>The layer's output and its gradients for x, weight and bias against <paramref name="reference"/> in float64; returns the output.</summary>
    private static Tensor AssertMatchesFloat64(nn.Module<Tensor, Tensor> layer, Tensor input, Func<Tensor, Tensor, Tensor, Tensor> reference)
    {
        var x = input.requires_grad_(true);
        var y = layer.forward(x);
        var upstream = randn_like(y);
        var weight = layer.get_parameter("weight")!;
        var bias = layer.get_parameter("bias")!;
        var gradients = autograd.grad([y], [x, weight, bias], [upstream]);

        var x64 = x.detach().to(float64).requires_grad_(true);
        var weight64 = weight.detach().to(float64).requires_grad_(true);
        var bias64 = bias.detach().to(float64).requires_grad_(true);
        var expected = reference(x64, weight64, bias64);
        var expectedGradients = autograd.grad([expected], [x64, weight64, bias64], [upstream.to(float64)]);

        AssertClose(expected, y, "output");
        string[] names = ["∂/∂x", "∂/∂weight", "∂/∂bias"];
        for (int i = 0; i < 3; i++) AssertClose(expectedGradients[i], gradients[i], names[i]);
        return y;
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        double scale = Math.Max(1, expected.abs().max().ToDouble());
        double error = (actual.to(float64) - expected).abs().max().ToDouble();
        Assert.IsTrue(error <= 1e-5 * scale, $"{what}: largest difference {error:G3} (values up to {scale:G3})");
    }
}
