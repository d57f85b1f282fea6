using Vae.MLNet.Backend;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Vae.MLNet.Networks;

// The convolutional VAE's two layer kinds: a 4×4, stride-2, padding-1 convolution and its transpose, computed as
// im2col/col2im (unfold/fold) and a matrix product instead of conv2d and conv_transpose2d. Why: on an AMD EPYC with
// AVX-512, libtorch 2.10's oneDNN kernels (jit:avx512_core) for a transposed convolution and for a convolution's
// input gradient returned wrong values unless every channel count was 16, 32 or 64 (231 of 700 cases wrong with 24 or
// 48 channels, 70 of 448 with 1, 3, 8 or 16; errors up to the values' own size, different from run to run, at one and
// two threads), which trained grayscale and RGB VAEs into NaN; forward convolutions and weight gradients were right,
// and ONEDNN_MAX_CPU_ISA=AVX2 made every case right. Unfold, fold and matmul do not go through oneDNN
// (Variational/StridedConvolutionTests checks both layers and their gradients against libtorch's float64 kernels).
// The price: about half the convolutional Fit speed on that machine (benchmarks/README.md). Parameters keep Conv2d's
// and ConvTranspose2d's names, shapes and initialization, so the model format and the ONNX export are unchanged.

/// <summary>A 4×4 convolution with stride 2 and padding 1 (weight (out, in, 4, 4), bias (out)), as Conv2d.</summary>
internal sealed class StridedConvolution : nn.Module<Tensor, Tensor>
{
    private readonly long _outChannels;

    public StridedConvolution(long inChannels, long outChannels) : base("Conv2d")
    {
        _outChannels = outChannels;
        using var initial = nn.Conv2d(inChannels, outChannels, ConvolutionalLayers.Kernel, stride: ConvolutionalLayers.Stride, padding: ConvolutionalLayers.Padding);
        register_parameter("weight", new Parameter(initial.weight!.detach().clone()));
        register_parameter("bias", new Parameter(initial.bias!.detach().clone()));
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        long k = ConvolutionalLayers.Kernel, s = ConvolutionalLayers.Stride, p = ConvolutionalLayers.Padding;
        long height = (input.size(2) + 2 * p - k) / s + 1, width = (input.size(3) + 2 * p - k) / s + 1;
        // (rows, in·16, positions): each output position's 4×4 patch, channel-major as the weight is.
        var patches = nn.functional.unfold(input, (k, k), padding: (p, p), stride: (s, s));
        var weight = get_parameter("weight")!;
        var output = weight.view(_outChannels, -1).matmul(patches).Plus(get_parameter("bias")!.view(_outChannels, 1));
        return output.view(input.size(0), _outChannels, height, width).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// The transpose of <see cref="StridedConvolution"/> with its own output padding per dimension (weight (in, out, 4,
/// 4), bias (out)), as ConvTranspose2d; TorchSharp 0.107's ConvTranspose2d also applied output_padding[0] to both
/// dimensions when forward got no output size (a 12×6 image came back 12×4).
/// </summary>
internal sealed class StridedTransposedConvolution : nn.Module<Tensor, Tensor>
{
    private readonly long[] _outputPadding;
    private readonly long _inChannels, _outChannels;

    public StridedTransposedConvolution(long inChannels, long outChannels, (long Height, long Width) outputPadding) : base("ConvTranspose2d")
    {
        _outputPadding = [outputPadding.Height, outputPadding.Width];
        _inChannels = inChannels;
        _outChannels = outChannels;
        long k = ConvolutionalLayers.Kernel, s = ConvolutionalLayers.Stride, p = ConvolutionalLayers.Padding;
        using var initial = nn.ConvTranspose2d(inChannels, outChannels, (k, k), stride: (s, s), padding: (p, p));
        register_parameter("weight", new Parameter(initial.weight!.detach().clone()));
        register_parameter("bias", new Parameter(initial.bias!.detach().clone()));
    }

    /// <summary>The extra rows and columns added to the output, (height, width); read by the ONNX export.</summary>
    public IReadOnlyList<long> OutputPadding => _outputPadding;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        long k = ConvolutionalLayers.Kernel, s = ConvolutionalLayers.Stride, p = ConvolutionalLayers.Padding;
        long rows = input.size(0), height = s * input.size(2) + _outputPadding[0], width = s * input.size(3) + _outputPadding[1];
        // Each input pixel spreads weight-scaled 4×4 patches (rows, out·16, pixels); fold sums them where they overlap.
        // One GEMM over all rows' pixels (in, rows·pixels), not one per row: 2.3× faster for 64 → 32 channels at 7×7.
        var weight = get_parameter("weight")!;
        long pixels = input.size(2) * input.size(3);
        var columns = input.reshape(rows, _inChannels, pixels).permute(1, 0, 2).reshape(_inChannels, rows * pixels);
        var patches = weight.view(_inChannels, -1).t().matmul(columns).view(-1, rows, pixels).permute(1, 0, 2);
        var output = nn.functional.fold(patches, (height, width), (k, k), padding: (p, p), stride: (s, s));
        return output.Plus(get_parameter("bias")!.view(1, _outChannels, 1, 1)).MoveToOuterDisposeScope();
    }
}
