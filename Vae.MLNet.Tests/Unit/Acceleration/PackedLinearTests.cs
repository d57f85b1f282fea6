using System.Runtime.Intrinsics.X86;
using TorchSharp;
using Vae.MLNet.Acceleration.Gemm;
using Vae.MLNet.Networks;
using static TorchSharp.torch;

namespace Vae.MLNet.Tests.Unit.Acceleration;

/// <summary>The Linear layer through the packed products: output and all three gradients against libtorch in float64.</summary>
[TestClass]
public sealed class PackedLinearTests
{
    [TestMethod]
    [DataRow(128, 784, 400, true)]
    [DataRow(128, 784, 400, false)]
    [DataRow(37, 53, 29, true)]
    [DataRow(1, 400, 784, true)]
    public void OutputAndGradientsMatchLibtorch(int rows, int inputs, int outputs, bool inputNeedsGradient)
    {
        if (!Avx512F.IsSupported) Assert.Inconclusive("This processor has no AVX-512F.");
        using var scope = NewDisposeScope();
        var generator = new Generator(3);
        var x = randn([rows, inputs], generator: generator).requires_grad_(inputNeedsGradient);
        var weight = randn([outputs, inputs], generator: generator).mul_(0.05).requires_grad_();
        var bias = randn([outputs], generator: generator).requires_grad_();
        var upstream = randn([rows, outputs], generator: generator);

        var y = PackedLinear.apply(x, weight, bias);
        (y * upstream).sum().backward();

        var x64 = x.detach().to(float64).requires_grad_(inputNeedsGradient);
        var w64 = weight.detach().to(float64).requires_grad_();
        var b64 = bias.detach().to(float64).requires_grad_();
        var expected = nn.functional.linear(x64, w64, b64);
        (expected * upstream.to(float64)).sum().backward();

        AssertClose(expected, y, "y");
        AssertClose(w64.grad!, weight.grad!, "dL/dW");
        AssertClose(b64.grad!, bias.grad!, "dL/db");
        if (inputNeedsGradient) AssertClose(x64.grad!, x.grad!, "dL/dx");
        else Assert.IsNull(x.grad);
    }

    [TestMethod]
    public void UnderNoGradItIsAPlainFunction()
    {
        if (!Avx512F.IsSupported) Assert.Inconclusive("This processor has no AVX-512F.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator(4);
        var layer = nn.Linear(300, 200);
        var x = randn([64, 300], generator: generator);
        var y = PackedLinear.apply(x, layer.weight!, layer.bias!);
        Assert.IsFalse(y.requires_grad);
        AssertClose(layer.call(x).to(float64), y, "y");
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        CollectionAssert.AreEqual(expected.shape, actual.shape, what);
        double scale = expected.abs().max().item<double>() + 1;
        double error = (actual.to(float64) - expected).abs().max().item<double>();
        Assert.IsTrue(error <= 1e-5 * scale, $"{what}: largest difference {error:G3} against a largest value {scale - 1:G3}");
    }
}
