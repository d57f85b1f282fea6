using System.Runtime.InteropServices;
using Vae.MLNet.Acceleration.Gemm;
using Vae.MLNet.Backend;
using static TorchSharp.torch;

namespace Vae.MLNet.Acceleration.Convolutions;

// The packed convolutions' sizes and their passes over a batch in chunks of images (PackedConvolutions.cs).

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

    /// <summary>The wide side's tensor shape (n, c, h, w) and the narrow side's (n, f, oh, ow).</summary>
    public long[] WideShape => [N, Channels, Height, Width];

    public long[] NarrowShape => [N, Filters, OutputHeight, OutputWidth];

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
        if (Shape.N > Shape.ImagesPerChunk) _sums[0].add_(_sums[1], Scalars.One);
        var gradient = _sums[0].view(Shape.Filters, Shape.Channels, 4, 4);
        _sums[1].Dispose();
        return gradient;
    }
}
