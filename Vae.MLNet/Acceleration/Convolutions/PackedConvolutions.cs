using TorchSharp;
using Vae.MLNet.Acceleration.Gemm;
using Vae.MLNet.Backend;
using static TorchSharp.torch;

namespace Vae.MLNet.Acceleration.Convolutions;

// The strided layers' third way to compute (Acceleration/Convolutions/ConvolutionPaths.cs): the patch matrix (StridedPatches)
// and its adjoint with every product in PackedGemm, forward and backward, as TorchSharp autograd functions.
// Where PackedGemm is preferred (AMD with AVX-512) this replaces libtorch's oneDNN, whose AVX-512 kernels are wrong
// there (Runtime/OneDnnKernels). A transposed convolution is a convolution's input gradient and the other way round, so the two
// functions share the same steps in a different order.
//
// The batch goes through in chunks of images whose patch matrix stays in the processor's caches: made whole, the
// 32 → 64 channel layer's patch matrix for 128 MNIST images is 12.8 MB, and writing it out and reading it back cost
// more than the product it feeds. With two threads (PackedGemm.Threads), the helper thread takes every other chunk.

/// <summary>conv2d(x, W, b) with 4×4 kernels, stride 2, padding 1; x (n, c, h, w), W (f, c, 4, 4), b (f).</summary>
internal sealed class PackedConvolution : autograd.SingleTensorFunction<PackedConvolution>
{
    public override string Name => nameof(PackedConvolution);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars) =>
        PackedConvolutionSteps.Forward(ctx, vars, transposed: false, (shape, input, weight, bias, output) => new Forward(shape, input, weight, bias, output));

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor outputGradient) =>
        PackedConvolutionSteps.Backward(ctx, outputGradient, (shape, input, weight, dy, inputGradient) => new Backward(shape, input, weight, dy, inputGradient));

    private sealed unsafe class Forward(PackedConvolutionShape shape, Tensor input, Tensor weight, Tensor bias, Tensor output) : ChunkedPass(shape)
    {
        protected override void Chunk(int first, int count, Scratch scratch)
        {
            var s = Shape;
            int columns = count * s.OutputPixels;
            StridedPatches.Gather(TensorMemory.Pointer(input) + (long)first * s.WideImage, count, s.Channels, s.Height, s.Width, scratch.Patches);
            // (f × columns) = W (f × c·16) · patches (c·16 × columns).
            PackedGemm.Multiply(s.Filters, columns, s.Depth, new(TensorMemory.Pointer(weight), s.Depth, 1), new(scratch.Patches, columns, 1),
                scratch.Narrow, columns, accumulate: false);
            StridedPatches.FromChannelMajor(scratch.Narrow, count, s.Filters, s.OutputPixels, TensorMemory.Pointer(bias),
                TensorMemory.Pointer(output) + (long)first * s.NarrowImage);
        }
    }

    private sealed unsafe class Backward(PackedConvolutionShape shape, Tensor input, Tensor weight, Tensor dy, Tensor? inputGradient)
        : WeightGradientPass(shape)
    {
        protected override void Chunk(int first, int count, Scratch scratch)
        {
            var s = Shape;
            int columns = count * s.OutputPixels;
            StridedPatches.ToChannelMajor(TensorMemory.Pointer(dy) + (long)first * s.NarrowImage, count, s.Filters, s.OutputPixels, scratch.Narrow);
            StridedPatches.Gather(TensorMemory.Pointer(input) + (long)first * s.WideImage, count, s.Channels, s.Height, s.Width, scratch.Patches);
            AccumulateWeightGradient(first, columns, scratch);
            if (inputGradient is null) return;
            // ∂patches = Wᵀ · ∂y, then each entry back to the pixel it was read from.
            TransposedWeightTimesNarrow(weight, columns, scratch);
            StridedPatches.Scatter(scratch.Patches, count, s.Channels, s.Height, s.Width, TensorMemory.Pointer(inputGradient) + (long)first * s.WideImage, null);
        }
    }
}

/// <summary>conv_transpose2d(x, W, b) with 4×4 kernels, stride 2, padding 1; x (n, f, h, w), W (f, c, 4, 4), b (c).</summary>
internal sealed class PackedTransposedConvolution : autograd.SingleTensorFunction<PackedTransposedConvolution>
{
    public override string Name => nameof(PackedTransposedConvolution);

    // vars: input, weight, bias, and the output's size (height, width) as a long[].
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars) =>
        PackedConvolutionSteps.Forward(ctx, vars, transposed: true, (shape, input, weight, bias, output) => new Forward(shape, input, weight, bias, output));

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor outputGradient) =>
        PackedConvolutionSteps.Backward(ctx, outputGradient, (shape, input, weight, dy, inputGradient) => new Backward(shape, input, weight, dy, inputGradient));

    private sealed unsafe class Forward(PackedConvolutionShape shape, Tensor input, Tensor weight, Tensor bias, Tensor output) : ChunkedPass(shape)
    {
        protected override void Chunk(int first, int count, Scratch scratch)
        {
            var s = Shape;
            int columns = count * s.OutputPixels;
            // patches (c·16 × columns) = Wᵀ · x, then summed into the pixels they cover, on top of the bias.
            StridedPatches.ToChannelMajor(TensorMemory.Pointer(input) + (long)first * s.NarrowImage, count, s.Filters, s.OutputPixels, scratch.Narrow);
            TransposedWeightTimesNarrow(weight, columns, scratch);
            StridedPatches.Scatter(scratch.Patches, count, s.Channels, s.Height, s.Width, TensorMemory.Pointer(output) + (long)first * s.WideImage,
                TensorMemory.Pointer(bias));
        }
    }

    private sealed unsafe class Backward(PackedConvolutionShape shape, Tensor input, Tensor weight, Tensor dy, Tensor? inputGradient)
        : WeightGradientPass(shape)
    {
        protected override void Chunk(int first, int count, Scratch scratch)
        {
            var s = Shape;
            int columns = count * s.OutputPixels;
            StridedPatches.Gather(TensorMemory.Pointer(dy) + (long)first * s.WideImage, count, s.Channels, s.Height, s.Width, scratch.Patches);
            StridedPatches.ToChannelMajor(TensorMemory.Pointer(input) + (long)first * s.NarrowImage, count, s.Filters, s.OutputPixels, scratch.Narrow);
            AccumulateWeightGradient(first, columns, scratch);
            if (inputGradient is null) return;
            // ∂x = the convolution of ∂y: W (f × c·16) · patches, back to (n, f, h, w).
            PackedGemm.Multiply(s.Filters, columns, s.Depth, new(TensorMemory.Pointer(weight), s.Depth, 1), new(scratch.Patches, columns, 1),
                scratch.Narrow, columns, accumulate: false);
            StridedPatches.FromChannelMajor(scratch.Narrow, count, s.Filters, s.OutputPixels, null, TensorMemory.Pointer(inputGradient) + (long)first * s.NarrowImage);
        }
    }
}

/// <summary>What both functions do around their passes: contiguous operands, the output, and what backward needs.</summary>
internal static class PackedConvolutionSteps
{
    private const string InputNeedsGradient = "input needs gradient", Transposed = "transposed";

    // vars: input, weight, bias; for a transposed convolution also the output's (height, width) as a long[].
    public static Tensor Forward(autograd.AutogradContext ctx, object[] vars, bool transposed,
        Func<PackedConvolutionShape, Tensor, Tensor, Tensor, Tensor, ChunkedPass> pass)
    {
        var input = ((Tensor)vars[0]).contiguous();
        var weight = ((Tensor)vars[1]).contiguous();
        using var bias = ((Tensor)vars[2]).contiguous();
        var shape = PackedConvolutionShape.Of(input, weight, transposed, transposed ? (long[])vars[3] : null);
        var output = empty(transposed ? shape.WideShape : shape.NarrowShape);
        pass(shape, input, weight, bias, output).Run();
        ctx.save_for_backward([input, weight]);
        ctx.save_data(InputNeedsGradient, ((Tensor)vars[0]).requires_grad);
        ctx.save_data(nameof(PackedConvolutionShape), shape);
        ctx.save_data(Transposed, transposed);
        return output;
    }

    /// <summary>∂x (null where the input needs none), ∂W, ∂b, and null for a transposed convolution's output size.</summary>
    public static List<Tensor> Backward(autograd.AutogradContext ctx, Tensor outputGradient,
        Func<PackedConvolutionShape, Tensor, Tensor, Tensor, Tensor?, WeightGradientPass> pass)
    {
        var saved = ctx.get_saved_variables();
        var shape = (PackedConvolutionShape)ctx.get_data(nameof(PackedConvolutionShape));
        bool transposed = (bool)ctx.get_data(Transposed);
        using var dy = outputGradient.contiguous();
        var inputGradient = (bool)ctx.get_data(InputNeedsGradient) ? empty(transposed ? shape.NarrowShape : shape.WideShape) : null;
        var weightPass = pass(shape, saved[0], saved[1], dy, inputGradient);
        weightPass.Run();
        List<Tensor> gradients = [inputGradient!, weightPass.WeightGradient(), dy.sum([0, 2, 3])];
        if (transposed) gradients.Add(null!);
        return gradients;
    }
}
