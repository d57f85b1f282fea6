using Vae.MLNet.Backend;
using Vae.MLNet.Kernels;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Vae.MLNet.Networks;

// The convolutional VAE's two layer kinds: a 4×4, stride-2, padding-1 convolution and its transpose. Each has three
// ways to compute (ConvolutionPath): libtorch's conv2d / conv_transpose2d (oneDNN); im2col/col2im (unfold/fold) with a
// matrix product; and our own patch matrix with PackedGemm (Networks/PackedConvolutions), used where PackedGemm is
// preferred (AMD with AVX-512). Why the first two: on an AMD EPYC with AVX-512, libtorch 2.10's oneDNN kernels
// (jit:avx512_core) for a transposed convolution and for a convolution's input gradient returned wrong values unless
// every channel count was 16, 32 or 64 (231 of 700 cases wrong with 24 or 48 channels, 70 of 448 with 1, 3, 8 or 16;
// errors up to the values' own size, different from run to run), which trained VAEs into NaN; capped at AVX2 every
// case was right. So on AMD with AVX-512 the layers never reach oneDNN unless the application capped it itself
// (Runtime/OneDnnKernels): they take the packed path where it serves, else unfold/fold, in Fit and in Transform.
// Elsewhere they use oneDNN where NativeConvolutions found it right in this process (faster than unfold/fold), and
// unfold/fold otherwise, which does not go through oneDNN. Parameters
// keep Conv2d's and ConvTranspose2d's names, shapes and initialization, so the model format and the ONNX export are
// the same every way.

/// <summary>How a strided layer computes.</summary>
internal enum ConvolutionPath
{
    /// <summary>libtorch's conv2d / conv_transpose2d.</summary>
    Native,

    /// <summary>libtorch's unfold / fold and a matrix product: no oneDNN.</summary>
    Unfolded,

    /// <summary>The patch matrix and PackedGemm (<see cref="PackedConvolution"/>): AVX-512 only.</summary>
    Packed,
}

internal static class ConvolutionPaths
{
    /// <summary>
    /// The packed path where <see cref="PackedGemm.ServesWith"/> libtorch's thread count (it beat oneDNN at one
    /// thread), else libtorch's kernels where they may be used in this process (<see cref="NativeConvolutions.AreUsed"/>),
    /// else unfold/fold.
    /// </summary>
    public static ConvolutionPath Default =>
        PackedGemm.ServesWith(get_num_threads()) ? ConvolutionPath.Packed
        : NativeConvolutions.AreUsed ? ConvolutionPath.Native : ConvolutionPath.Unfolded;

    /// <summary>
    /// The way a layer computes: the one asked for, else <see cref="Default"/>; the packed functions only for input
    /// they take (float32 images on the CPU, at least one, each at least <paramref name="smallestSize"/> pixels a side,
    /// and AVX-512), the others going to libtorch's kernels where they may be used, else to unfold/fold. A layer built
    /// for libtorch's kernels (a test's) gets them as asked.
    /// </summary>
    public static ConvolutionPath Choose(ConvolutionPath? requested, Tensor input, Tensor weight, long smallestSize)
    {
        var path = requested ?? Default;
        bool packedServes = System.Runtime.Intrinsics.X86.Avx512F.IsSupported && input.dim() == 4 && input.size(0) > 0
            && input.size(2) >= smallestSize && input.size(3) >= smallestSize
            && input.dtype == ScalarType.Float32 && weight.dtype == ScalarType.Float32
            && input.device_type == DeviceType.CPU && weight.device_type == DeviceType.CPU;
        if (path != ConvolutionPath.Packed || packedServes) return path;
        return NativeConvolutions.AreUsed ? ConvolutionPath.Native : ConvolutionPath.Unfolded;
    }
}

/// <summary>A 4×4 convolution with stride 2 and padding 1 (weight (out, in, 4, 4), bias (out)), as Conv2d.</summary>
internal sealed class StridedConvolution : nn.Module<Tensor, Tensor>
{
    private readonly ConvolutionPath? _path;

    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="path">How to compute; null: <see cref="ConvolutionPaths.Default"/>.</param>
    public StridedConvolution(long inChannels, long outChannels, ConvolutionPath? path = null) : base("Conv2d")
    {
        _path = path;
        using var initial = nn.Conv2d(inChannels, outChannels, ConvolutionalLayers.Kernel, stride: ConvolutionalLayers.Stride, padding: ConvolutionalLayers.Padding);
        register_parameter("weight", new Parameter(initial.weight!.detach().clone()));
        register_parameter("bias", new Parameter(initial.bias!.detach().clone()));
    }

    public override Tensor forward(Tensor input)
    {
        var weight = get_parameter("weight")!;
        var bias = get_parameter("bias")!;
        // An image under 2 × 2 has no output pixel: libtorch's kernels say so.
        return ConvolutionPaths.Choose(_path, input, weight, smallestSize: 2) switch
        {
            ConvolutionPath.Packed => PackedConvolution.apply(input, weight, bias),
            ConvolutionPath.Native => Native(input, weight, bias),
            _ => Unfolded(input, weight, bias),
        };
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
    private readonly ConvolutionPath? _path;

    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="outputPadding">Rows and columns added to the output, (height, width).</param>
    /// <param name="path">How to compute; null: <see cref="ConvolutionPaths.Default"/>.</param>
    public StridedTransposedConvolution(long inChannels, long outChannels, (long Height, long Width) outputPadding, ConvolutionPath? path = null) : base("ConvTranspose2d")
    {
        _outputPadding = [outputPadding.Height, outputPadding.Width];
        _path = path;
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
        long s = ConvolutionalLayers.Stride;
        return ConvolutionPaths.Choose(_path, input, weight, smallestSize: 1) switch
        {
            ConvolutionPath.Packed => PackedTransposedConvolution.apply(input, weight, bias,
                new long[] { s * input.size(2) + _outputPadding[0], s * input.size(3) + _outputPadding[1] }),
            ConvolutionPath.Native => Native(input, weight, bias, _outputPadding),
            _ => Folded(input, weight, bias, _outputPadding),
        };
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
