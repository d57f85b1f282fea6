using TorchSharp;
using Vae.MLNet.Acceleration.Gemm;
using Vae.MLNet.Backend;
using static TorchSharp.torch;

namespace Vae.MLNet.Acceleration.Convolutions;

// The door's two strided operations, a 4×4, stride-2, padding-1 convolution and its transpose, have three ways to
// compute (ConvolutionPath): libtorch's conv2d / conv_transpose2d (oneDNN); im2col/col2im (unfold/fold) with a matrix
// product; and our own patch matrix with PackedGemm (PackedConvolutions), used where PackedGemm is preferred (AMD with
// AVX-512). Why the first two: on an AMD EPYC with AVX-512, libtorch 2.10's oneDNN kernels (jit:avx512_core) for a
// transposed convolution and for a convolution's input gradient returned wrong values unless every channel count was
// 16, 32 or 64 (231 of 700 cases wrong with 24 or 48 channels, 70 of 448 with 1, 3, 8 or 16; errors up to the values'
// own size, different from run to run), which trained VAEs into NaN; capped at AVX2 every case was right. So on AMD
// with AVX-512 the layers never reach oneDNN unless the application capped it itself (Runtime/OneDnnKernels): they take
// the packed path where it serves, else unfold/fold, in Fit and in Transform. Elsewhere they use oneDNN where
// NativeConvolutions found it right in this process (faster than unfold/fold), and unfold/fold otherwise, which does
// not go through oneDNN. That much is correctness, so the plain implementation (PlainLibtorch) keeps it too; only the
// packed path is an acceleration.

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

/// <summary>The choice between the ways to compute, and the two libtorch ways themselves.</summary>
internal static class ConvolutionPaths
{
    // The geometry of the door's strided operations (the networks' ConvolutionalLayers build layers of this shape).
    private const long Kernel = 4, Stride = 2, Padding = 1;

    /// <summary>libtorch's kernels where they may be used in this process (<see cref="NativeConvolutions.AreUsed"/>), else unfold/fold.</summary>
    public static ConvolutionPath Correct => NativeConvolutions.AreUsed ? ConvolutionPath.Native : ConvolutionPath.Unfolded;

    /// <summary>
    /// The packed path where <see cref="PackedGemm.ServesWith"/> libtorch's thread count (it beat oneDNN at one
    /// thread), else <see cref="Correct"/>.
    /// </summary>
    public static ConvolutionPath Accelerated => PackedGemm.ServesWith(get_num_threads()) ? ConvolutionPath.Packed : Correct;

    /// <summary>
    /// The way a layer computes: <paramref name="path"/> where it takes the input; the packed functions only take
    /// float32 images on the CPU, at least one, each at least <paramref name="smallestSize"/> pixels a side, and need
    /// AVX-512: otherwise <see cref="Correct"/>.
    /// </summary>
    public static ConvolutionPath Choose(ConvolutionPath path, Tensor input, Tensor weight, long smallestSize)
    {
        bool packedServes = System.Runtime.Intrinsics.X86.Avx512F.IsSupported && input.dim() == 4 && input.size(0) > 0
            && input.size(2) >= smallestSize && input.size(3) >= smallestSize
            && input.dtype == ScalarType.Float32 && weight.dtype == ScalarType.Float32
            && input.device_type == DeviceType.CPU && weight.device_type == DeviceType.CPU;
        return path != ConvolutionPath.Packed || packedServes ? path : Correct;
    }

    /// <summary>The convolution along <paramref name="path"/> (see <see cref="Choose"/>).</summary>
    public static Tensor Convolve(ConvolutionPath path, Tensor input, Tensor weight, Tensor bias) =>
        // An image under 2 × 2 has no output pixel: libtorch's kernels say so.
        Choose(path, input, weight, smallestSize: 2) switch
        {
            ConvolutionPath.Packed => PackedConvolution.apply(input, weight, bias),
            ConvolutionPath.Native => Native(input, weight, bias),
            _ => Unfolded(input, weight, bias),
        };

    /// <summary>The transposed convolution along <paramref name="path"/> (see <see cref="Choose"/>).</summary>
    public static Tensor ConvolveTransposed(ConvolutionPath path, Tensor input, Tensor weight, Tensor bias, long[] outputPadding) =>
        Choose(path, input, weight, smallestSize: 1) switch
        {
            ConvolutionPath.Packed => PackedTransposedConvolution.apply(input, weight, bias,
                new long[] { Stride * input.size(2) + outputPadding[0], Stride * input.size(3) + outputPadding[1] }),
            ConvolutionPath.Native => NativeTransposed(input, weight, bias, outputPadding),
            _ => Folded(input, weight, bias, outputPadding),
        };

    /// <summary>libtorch's conv2d.</summary>
    internal static Tensor Native(Tensor input, Tensor weight, Tensor bias) =>
        nn.functional.conv2d(input, weight, bias, strides: [Stride, Stride], padding: [Padding, Padding]);

    /// <summary>Each output position's 4×4 patch (unfold) times the weight matrix: no oneDNN.</summary>
    internal static Tensor Unfolded(Tensor input, Tensor weight, Tensor bias)
    {
        using var scope = NewDisposeScope();
        long outChannels = weight.size(0);
        long height = (input.size(2) + 2 * Padding - Kernel) / Stride + 1, width = (input.size(3) + 2 * Padding - Kernel) / Stride + 1;
        // (rows, in·16, positions): each output position's 4×4 patch, channel-major as the weight is.
        var patches = nn.functional.unfold(input, (Kernel, Kernel), padding: (Padding, Padding), stride: (Stride, Stride));
        var output = weight.view(outChannels, -1).matmul(patches).Plus(bias.view(outChannels, 1));
        return output.view(input.size(0), outChannels, height, width).MoveToOuterDisposeScope();
    }

    /// <summary>libtorch's conv_transpose2d.</summary>
    internal static Tensor NativeTransposed(Tensor input, Tensor weight, Tensor bias, long[] outputPadding) =>
        nn.functional.conv_transpose2d(input, weight, bias, strides: [Stride, Stride], padding: [Padding, Padding], output_padding: outputPadding);

    /// <summary>Each input pixel's weight-scaled 4×4 patches summed where they overlap (fold): no oneDNN.</summary>
    internal static Tensor Folded(Tensor input, Tensor weight, Tensor bias, long[] outputPadding)
    {
        using var scope = NewDisposeScope();
        long inChannels = weight.size(0), outChannels = weight.size(1);
        long rows = input.size(0), height = Stride * input.size(2) + outputPadding[0], width = Stride * input.size(3) + outputPadding[1];
        // Each input pixel spreads weight-scaled 4×4 patches (rows, out·16, pixels); fold sums them where they overlap.
        // One GEMM over all rows' pixels (in, rows·pixels), not one per row: many small products cost more in dispatch than one large one.
        long pixels = input.size(2) * input.size(3);
        var columns = input.reshape(rows, inChannels, pixels).permute(1, 0, 2).reshape(inChannels, rows * pixels);
        var patches = weight.view(inChannels, -1).t().matmul(columns).view(-1, rows, pixels).permute(1, 0, 2);
        var output = nn.functional.fold(patches, (height, width), (Kernel, Kernel), padding: (Padding, Padding), stride: (Stride, Stride));
        return output.Plus(bias.view(1, outChannels, 1, 1)).MoveToOuterDisposeScope();
    }
}
