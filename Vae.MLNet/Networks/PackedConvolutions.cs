using System.Runtime.InteropServices;
using TorchSharp;
using Vae.MLNet.Backend;
using Vae.MLNet.Kernels;
using static TorchSharp.torch;

namespace Vae.MLNet.Networks;

// The strided layers' third way to compute (Networks/StridedConvolutions.cs): the patch matrix (Kernels/StridedPatches)
// and its adjoint with every product in Kernels/PackedGemm, forward and backward, as TorchSharp autograd functions.
// Where PackedGemm is preferred (AMD with AVX-512) this replaces libtorch's oneDNN, which is capped at AVX2 there
// (Backend/OneDnnIsa). A transposed convolution is a convolution's input gradient and the other way round, so the two
// functions share the same steps in a different order.
//
// The batch goes through in chunks of images whose patch matrix stays in the processor's caches: made whole, the
// 32 → 64 channel layer's patch matrix for 128 MNIST images is 12.8 MB, and writing it out and reading it back cost
// more than the product it feeds. With two threads (PackedGemm.Threads), the helper thread takes every other chunk.

/// <summary>conv2d(x, W, b) with 4×4 kernels, stride 2, padding 1; x (n, c, h, w), W (f, c, 4, 4), b (f).</summary>
internal sealed class PackedConvolution : autograd.SingleTensorFunction<PackedConvolution>
{
    private const string InputNeedsGradient = "input needs gradient";

    public override string Name => nameof(PackedConvolution);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var input = ((Tensor)vars[0]).contiguous();
        var weight = ((Tensor)vars[1]).contiguous();
        using var bias = ((Tensor)vars[2]).contiguous();
        var shape = PackedConvolutionShape.Of(input, weight, transposed: false);
        var output = empty(shape.N, shape.Filters, shape.OutputHeight, shape.OutputWidth);
        new Forward(shape, input, weight, bias, output).Run();
        ctx.save_for_backward([input, weight]);
        ctx.save_data(InputNeedsGradient, ((Tensor)vars[0]).requires_grad);
        ctx.save_data(nameof(PackedConvolutionShape), shape);
        return output;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor outputGradient)
    {
        var saved = ctx.get_saved_variables();
        var shape = (PackedConvolutionShape)ctx.get_data(nameof(PackedConvolutionShape));
        using var dy = outputGradient.contiguous();
        var inputGradient = (bool)ctx.get_data(InputNeedsGradient) ? empty(shape.N, shape.Channels, shape.Height, shape.Width) : null;
        var pass = new Backward(shape, saved[0], saved[1], dy, inputGradient);
        pass.Run();
        return [inputGradient!, pass.WeightGradient(), dy.sum([0, 2, 3])];
    }

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
    private const string InputNeedsGradient = "input needs gradient";

    public override string Name => nameof(PackedTransposedConvolution);

    // vars: input, weight, bias, and the output's size (height, width) as a long[].
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var input = ((Tensor)vars[0]).contiguous();
        var weight = ((Tensor)vars[1]).contiguous();
        using var bias = ((Tensor)vars[2]).contiguous();
        var shape = PackedConvolutionShape.Of(input, weight, transposed: true, (long[])vars[3]);
        var output = empty(shape.N, shape.Channels, shape.Height, shape.Width);
        new Forward(shape, input, weight, bias, output).Run();
        ctx.save_for_backward([input, weight]);
        ctx.save_data(InputNeedsGradient, ((Tensor)vars[0]).requires_grad);
        ctx.save_data(nameof(PackedConvolutionShape), shape);
        return output;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor outputGradient)
    {
        var saved = ctx.get_saved_variables();
        var shape = (PackedConvolutionShape)ctx.get_data(nameof(PackedConvolutionShape));
        using var dy = outputGradient.contiguous();
        var inputGradient = (bool)ctx.get_data(InputNeedsGradient) ? empty(shape.N, shape.Filters, shape.OutputHeight, shape.OutputWidth) : null;
        var pass = new Backward(shape, saved[0], saved[1], dy, inputGradient);
        pass.Run();
        return [inputGradient!, pass.WeightGradient(), dy.sum([0, 2, 3]), null!];
    }

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

/// <summary>
/// The sizes of one strided convolution seen from its patch matrix: images (n, c, h, w) on the wide side, (n, f, oh,
/// ow) on the narrow side, the weight (f, c, 4, 4) as an f × c·16 matrix. For a convolution the input is the wide side;
/// for a transposed convolution the output is.
/// </summary>
internal sealed record PackedConvolutionShape(int N, int Channels, int Height, int Width, int Filters)
{
    /// <summary>About this many patch matrix columns a chunk: twenty 48-column panels of the product.</summary>
    private const int ChunkColumns = 960;

    /// <summary>At most this many floats in a chunk's patch matrix (2 MB: the processor's L2 and L3 hold it).</summary>
    private const long ChunkFloats = 1 << 19;

    public int OutputHeight => StridedPatches.OutputSize(Height);

    public int OutputWidth => StridedPatches.OutputSize(Width);

    public int OutputPixels => OutputHeight * OutputWidth;

    /// <summary>Patch matrix rows: c · 16.</summary>
    public int Depth => Channels * 16;

    /// <summary>Floats in one wide-side image (c · h · w) and one narrow-side image (f · oh · ow).</summary>
    public long WideImage => (long)Channels * Height * Width;

    public long NarrowImage => (long)Filters * OutputPixels;

    public int ImagesPerChunk => (int)Math.Clamp(Math.Min(Math.Round((double)ChunkColumns / OutputPixels), ChunkFloats / ((long)Depth * OutputPixels)), 1, N);

    public static PackedConvolutionShape Of(Tensor input, Tensor weight, bool transposed, long[]? outputSize = null)
    {
        int n = (int)input.size(0);
        return transposed
            ? new(n, (int)weight.size(1), (int)outputSize![0], (int)outputSize[1], (int)weight.size(0))
            : new(n, (int)input.size(1), (int)input.size(2), (int)input.size(3), (int)weight.size(0));
    }
}

/// <summary>
/// One pass over the batch in chunks of images, each chunk's patch matrix and narrow-side values in a scratch space of
/// the thread that runs it: chunks in order on the calling thread, or the odd ones on <see cref="HelperThread"/> when
/// <see cref="PackedGemm.Threads"/> is 2 and the helper is free.
/// </summary>
internal abstract unsafe class ChunkedPass(PackedConvolutionShape shape) : HelperThread.IJob
{
    protected PackedConvolutionShape Shape { get; } = shape;

    private int Chunks => (Shape.N + Shape.ImagesPerChunk - 1) / Shape.ImagesPerChunk;

    /// <summary>Runs <see cref="Chunk"/> for every chunk of images [first, first + count).</summary>
    protected abstract void Chunk(int first, int count, Scratch scratch);

    public void Run()
    {
        if (PackedGemm.Threads > 1 && Chunks > 1 && HelperThread.TryAcquire())
        {
            try
            {
                HelperThread.Run(this);
                Exception? failure = null;
                try
                {
                    RunChunks(parity: 0, step: 2);
                }
                catch (Exception e)
                {
                    failure = e;
                }
                HelperThread.Wait();
                if (failure is not null) throw failure;
            }
            finally
            {
                HelperThread.Release();
            }
        }
        else RunChunks(parity: 0, step: 1);
    }

    /// <summary>The helper thread's share: the odd chunks.</summary>
    public void Execute() => RunChunks(parity: 1, step: 2);

    private void RunChunks(int parity, int step)
    {
        using var scratch = new Scratch(Shape);
        for (int chunk = parity; chunk < Chunks; chunk += step)
        {
            int first = chunk * Shape.ImagesPerChunk;
            Chunk(first, Math.Min(Shape.ImagesPerChunk, Shape.N - first), scratch);
        }
    }

    /// <summary>patches (c·16 × columns) = Wᵀ (c·16 × f) · narrow (f × columns).</summary>
    protected void TransposedWeightTimesNarrow(Tensor weight, int columns, Scratch scratch) =>
        // Wᵀ(k, f) = W[f · depth + k].
        PackedGemm.Multiply(Shape.Depth, columns, Shape.Filters, new(TensorMemory.Pointer(weight), 1, Shape.Depth), new(scratch.Narrow, columns, 1),
            scratch.Patches, columns, accumulate: false);

    /// <summary>A chunk's two matrices, 64-byte aligned native memory sized for the largest chunk.</summary>
    protected sealed class Scratch : IDisposable
    {
        public Scratch(PackedConvolutionShape shape)
        {
            long columns = (long)shape.ImagesPerChunk * shape.OutputPixels;
            Patches = (float*)NativeMemory.AlignedAlloc((nuint)(shape.Depth * columns * sizeof(float)), 64);
            Narrow = (float*)NativeMemory.AlignedAlloc((nuint)(shape.Filters * columns * sizeof(float)), 64);
        }

        public float* Patches { get; private set; }

        public float* Narrow { get; private set; }

        public void Dispose()
        {
            NativeMemory.AlignedFree(Patches);
            NativeMemory.AlignedFree(Narrow);
            Patches = Narrow = null;
        }
    }
}

/// <summary>
/// A pass that also sums ∂W = narrow (f × columns) · patchesᵀ over the chunks: even chunks into one sum, odd chunks
/// into another, added at the end, so one thread and two give the same bits.
/// </summary>
internal abstract unsafe class WeightGradientPass(PackedConvolutionShape shape) : ChunkedPass(shape)
{
    private readonly Tensor[] _sums = [empty(shape.Filters, shape.Depth), empty(shape.Filters, shape.Depth)];

    /// <summary>Adds the chunk starting at image <paramref name="first"/> to its parity's sum (the first of each parity sets it).</summary>
    protected void AccumulateWeightGradient(int first, int columns, Scratch scratch)
    {
        int chunk = first / Shape.ImagesPerChunk;
        PackedGemm.Multiply(Shape.Filters, Shape.Depth, columns, new(scratch.Narrow, columns, 1), new(scratch.Patches, 1, columns),
            TensorMemory.Pointer(_sums[chunk % 2]), Shape.Depth, accumulate: chunk >= 2);
    }

    /// <summary>∂W (f, c, 4, 4) after <see cref="ChunkedPass.Run"/>.</summary>
    public Tensor WeightGradient()
    {
        if (Shape.N > Shape.ImagesPerChunk) _sums[0].add_(_sums[1]);
        var gradient = _sums[0].view(Shape.Filters, Shape.Channels, 4, 4);
        _sums[1].Dispose();
        return gradient;
    }
}
