using System.Runtime.Intrinsics.X86;
using TorchSharp;
using Vae.MLNet.Acceleration.Convolutions;
using Vae.MLNet.Acceleration.Gemm;
using Vae.MLNet.Backend;
using Vae.MLNet.Networks;
using static TorchSharp.torch;

namespace Vae.MLNet.Tests.Unit.Acceleration;

/// <summary>
/// The packed convolutions on batches of several chunks (the layer-level tests in StridedConvolutionTests see one), on
/// one thread and two, against libtorch in float64; and the patch gather and scatter as each other's adjoint on rows
/// wider than one 32-pixel window.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class PackedConvolutionTests
{
    [TestMethod]
    [DataRow(70, 32, 64, 14, false)]
    [DataRow(70, 32, 64, 14, true)]
    [DataRow(45, 1, 32, 28, false)]
    [DataRow(45, 1, 32, 28, true)]
    public void SeveralChunksOnOneThreadOrTwoMatchLibtorchAndEachOther(int rows, int channels, int filters, int size, bool transposed)
    {
        if (!Avx512F.IsSupported) Assert.Inconclusive("This processor has no AVX-512F.");
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        var weight = (randn([filters, channels, 4, 4], generator: generator) * 0.1).requires_grad_();
        var bias = randn([transposed ? channels : filters], generator: generator).requires_grad_();
        var x = transposed ? randn([rows, filters, size / 2, size / 2], generator: generator) : randn([rows, channels, size, size], generator: generator);
        x.requires_grad_();
        Assert.IsTrue(new PackedConvolutionShape(rows, channels, size, size, filters).ImagesPerChunk * 2 < rows, "the batch spans three chunks or more");

        var results = new[] { 1, 2 }.Select(threads => Evaluate(threads, transposed, x, weight, bias, size)).ToArray();

        var x64 = x.detach().to(float64).requires_grad_();
        var w64 = weight.detach().to(float64).requires_grad_();
        var b64 = bias.detach().to(float64).requires_grad_();
        var expected = transposed
            ? nn.functional.conv_transpose2d(x64, w64, b64, strides: [2, 2], padding: [1, 1])
            : nn.functional.conv2d(x64, w64, b64, strides: [2, 2], padding: [1, 1]);
        var upstream = Upstream(expected.shape);
        (expected * upstream.to(float64)).sum().backward();
        Tensor[] reference = [expected, x64.grad!, w64.grad!, b64.grad!];
        string[] names = ["y", "∂x", "∂W", "∂b"];
        for (int i = 0; i < 4; i++)
        {
            AssertClose(reference[i], results[0][i], names[i]);
            CollectionAssert.AreEqual(results[0][i].data<float>().ToArray(), results[1][i].data<float>().ToArray(), $"{names[i]}: two threads give other bits than one");
        }
    }

    [TestMethod]
    [DataRow(3, 2, 5, 33)]
    [DataRow(2, 3, 64, 64)]
    [DataRow(4, 1, 2, 2)]
    [DataRow(1, 2, 9, 70)]
    public unsafe void GatherAndScatterAreAdjoint(int rows, int channels, int height, int width)
    {
        if (!Avx512F.IsSupported) Assert.Inconclusive("This processor has no AVX-512F.");
        using var scope = NewDisposeScope();
        var generator = new Generator(12);
        int oh = StridedPatches.OutputSize(height), ow = StridedPatches.OutputSize(width);
        var images = randn([rows, channels, height, width], generator: generator);
        var patches = randn([channels * 16, rows * oh * ow], generator: generator);
        var gathered = empty(channels * 16, rows * oh * ow);
        var scattered = empty(rows, channels, height, width);
        StridedPatches.Gather(TensorMemory.Pointer(images), rows, channels, height, width, TensorMemory.Pointer(gathered));
        StridedPatches.Scatter(TensorMemory.Pointer(patches), rows, channels, height, width, TensorMemory.Pointer(scattered), null);

        // The gather is unfold's patch matrix, with the images as columns.
        var unfolded = nn.functional.unfold(images, (4, 4), padding: (1, 1), stride: (2, 2)).permute(1, 0, 2).reshape(channels * 16, -1);
        CollectionAssert.AreEqual(unfolded.contiguous().data<float>().ToArray(), gathered.data<float>().ToArray(), "gather equals unfold");
        // ⟨gather(x), p⟩ = ⟨x, scatter(p)⟩.
        double left = (gathered.to(float64) * patches.to(float64)).sum().item<double>();
        double right = (images.to(float64) * scattered.to(float64)).sum().item<double>();
        Assert.AreEqual(left, right, 1e-4 * (Math.Abs(left) + 1));
    }

    [TestMethod]
    public void LayersTakeThePackedPathOnlyWhereItHasAsManyThreadsAsLibtorch()
    {
        if (!Vae.MLNet.Acceleration.Gemm.PackedGemm.IsPreferred) Assert.Inconclusive("The packed products are not preferred on this processor.");
        int previousThreads = get_num_threads(), previousGemmThreads = PackedGemm.Threads;
        try
        {
            // As in a Fit: libtorch at one thread, the packed kernels at two.
            set_num_threads(1);
            PackedGemm.Threads = 2;
            Assert.AreEqual(ConvolutionPath.Packed, ConvolutionPaths.Accelerated);
            // As in a Transform with libtorch's two threads: oneDNN's (or unfold/fold where it is wrong).
            set_num_threads(2);
            PackedGemm.Threads = 1;
            Assert.AreNotEqual(ConvolutionPath.Packed, ConvolutionPaths.Accelerated);
        }
        finally
        {
            set_num_threads(previousThreads);
            PackedGemm.Threads = previousGemmThreads;
        }
    }

    private static Tensor[] Evaluate(int threads, bool transposed, Tensor x, Tensor weight, Tensor bias, int size)
    {
        int previous = PackedGemm.Threads;
        PackedGemm.Threads = threads;
        // The helper runs only while a Fit (or this) holds it.
        using var helper = HelperThread.Enter();
        try
        {
            var xi = x.detach().requires_grad_();
            var wi = weight.detach().requires_grad_();
            var bi = bias.detach().requires_grad_();
            var y = transposed ? PackedTransposedConvolution.apply(xi, wi, bi, new long[] { size, size }) : PackedConvolution.apply(xi, wi, bi);
            (y * Upstream(y.shape)).sum().backward();
            return [y.detach(), xi.grad!, wi.grad!, bi.grad!];
        }
        finally
        {
            PackedGemm.Threads = previous;
        }
    }

    private static Tensor Upstream(long[] shape) => randn(shape, generator: new Generator(13));

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        CollectionAssert.AreEqual(expected.shape, actual.shape, what);
        double scale = expected.abs().max().item<double>() + 1;
        double error = (actual.to(float64) - expected).abs().max().item<double>();
        Assert.IsTrue(error <= 1e-5 * scale, $"{what}: largest difference {error:G3} (values up to {scale:G3})");
    }
}
