using Vae.MLNet.Backend;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Vae.MLNet.Networks;

// The convolutional VAE's two layer kinds: a 4×4, stride-2, padding-1 convolution and its transpose. Each has two
// ways to compute: libtorch's conv2d / conv_transpose2d (oneDNN), and im2col/col2im (unfold/fold) with a matrix
// product. Why two: on an AMD EPYC with AVX-512, libtorch 2.10's oneDNN kernels (jit:avx512_core) for a transposed
// convolution and for a convolution's input gradient returned wrong values unless every channel count was 16, 32 or 64
// (231 of 700 cases wrong with 24 or 48 channels, 70 of 448 with 1, 3, 8 or 16; errors up to the values' own size,
// different from run to run), which trained VAEs into NaN. Capped at AVX2 (Backend/OneDnnIsa) every case was right.
// The layers use oneDNN where NativeConvolutions found it right in this process (2× the unfold path's speed), and
// unfold/fold otherwise, which does not go through oneDNN. Parameters keep Conv2d's and ConvTranspose2d's names,
// shapes and initialization, so the model format and the ONNX export are the same either way.

/// <summary>A 4×4 convolution with stride 2 and padding 1 (weight (out, in, 4, 4), bias (out)), as Conv2d.</summary>
internal sealed class StridedConvolution : nn.Module<Tensor, Tensor>
{
    private readonly bool? _native;

    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="native">libtorch's kernel (true) or unfold/fold (false); null: whichever <see cref="NativeConvolutions"/> chose.</param>
    public StridedConvolution(long inChannels, long outChannels, bool? native = null) : base("Conv2d")
    {
        _native = native;
        using var initial = nn.Conv2d(inChannels, outChannels, ConvolutionalLayers.Kernel, stride: ConvolutionalLayers.Stride, padding: ConvolutionalLayers.Padding);
        register_parameter("weight", new Parameter(initial.weight!.detach().clone()));
        register_parameter("bias", new Parameter(initial.bias!.detach().clone()));
    }

    public override Tensor forward(Tensor input)
    {
        var weight = get_parameter("weight")!;
        var bias = get_parameter("bias")!;
        return _native ?? NativeConvolutions.AreRight ? Native(input, weight, bias) : Unfolded(input, weight, bias);
    }

    /// <summary>libtorch's conv2d.</summary>
    internal static Tensor Native(Tensor input, Tensor weight, Tensor bias)
    {
        long s = ConvolutionalLayers.Stride, p = ConvolutionalLayers.Padding;
        return nn.functional.conv2d(input, weight, bias, strides: [s, s], padding: [p, p]);
    }

    /// <summary>Each output position's 4×4 patch (unfold) times the weight matrix: no oneDNN.</summary>
    internal static Tensor Unfolded(Tensor input, Tensor weight, Tensor bias)
    {
        using var scope = NewDisposeScope();
        long k = ConvolutionalLayers.Kernel, s = ConvolutionalLayers.Stride, p = ConvolutionalLayers.Padding, outChannels = weight.size(0);
        long height = (input.size(2) + 2 * p - k) / s + 1, width = (input.size(3) + 2 * p - k) / s + 1;
        // (rows, in·16, positions): each output position's 4×4 patch, channel-major as the weight is.
        var patches = nn.functional.unfold(input, (k, k), padding: (p, p), stride: (s, s));
        var output = weight.view(outChannels, -1).matmul(patches).Plus(bias.view(outChannels, 1));
        return output.view(input.size(0), outChannels, height, width).MoveToOuterDisposeScope();
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
    private readonly bool? _native;

    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="outputPadding">Rows and columns added to the output, (height, width).</param>
    /// <param name="native">libtorch's kernel (true) or unfold/fold (false); null: whichever <see cref="NativeConvolutions"/> chose.</param>
    public StridedTransposedConvolution(long inChannels, long outChannels, (long Height, long Width) outputPadding, bool? native = null) : base("ConvTranspose2d")
    {
        _outputPadding = [outputPadding.Height, outputPadding.Width];
        _native = native;
        long k = ConvolutionalLayers.Kernel, s = ConvolutionalLayers.Stride, p = ConvolutionalLayers.Padding;
        using var initial = nn.ConvTranspose2d(inChannels, outChannels, (k, k), stride: (s, s), padding: (p, p));
        register_parameter("weight", new Parameter(initial.weight!.detach().clone()));
        register_parameter("bias", new Parameter(initial.bias!.detach().clone()));
    }

    /// <summary>The extra rows and columns added to the output, (height, width); read by the ONNX export.</summary>
    public IReadOnlyList<long> OutputPadding => _outputPadding;

    public override Tensor forward(Tensor input)
    {
        var weight = get_parameter("weight")!;
        var bias = get_parameter("bias")!;
        return _native ?? NativeConvolutions.AreRight ? Native(input, weight, bias, _outputPadding) : Folded(input, weight, bias, _outputPadding);
    }

    /// <summary>libtorch's conv_transpose2d.</summary>
    internal static Tensor Native(Tensor input, Tensor weight, Tensor bias, long[] outputPadding)
    {
        long s = ConvolutionalLayers.Stride, p = ConvolutionalLayers.Padding;
        return nn.functional.conv_transpose2d(input, weight, bias, strides: [s, s], padding: [p, p], output_padding: outputPadding);
    }

    /// <summary>Each input pixel's weight-scaled 4×4 patches summed where they overlap (fold): no oneDNN.</summary>
    internal static Tensor Folded(Tensor input, Tensor weight, Tensor bias, long[] outputPadding)
    {
        using var scope = NewDisposeScope();
        long k = ConvolutionalLayers.Kernel, s = ConvolutionalLayers.Stride, p = ConvolutionalLayers.Padding;
        long inChannels = weight.size(0), outChannels = weight.size(1);
        long rows = input.size(0), height = s * input.size(2) + outputPadding[0], width = s * input.size(3) + outputPadding[1];
        // Each input pixel spreads weight-scaled 4×4 patches (rows, out·16, pixels); fold sums them where they overlap.
        // One GEMM over all rows' pixels (in, rows·pixels), not one per row: 2.3× faster for 64 → 32 channels at 7×7.
        long pixels = input.size(2) * input.size(3);
        var columns = input.reshape(rows, inChannels, pixels).permute(1, 0, 2).reshape(inChannels, rows * pixels);
        var patches = weight.view(inChannels, -1).t().matmul(columns).view(-1, rows, pixels).permute(1, 0, 2);
        var output = nn.functional.fold(patches, (height, width), (k, k), padding: (p, p), stride: (s, s));
        return output.Plus(bias.view(1, outChannels, 1, 1)).MoveToOuterDisposeScope();
    }
}
