using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Vae.MLNet.Acceleration.Gemm;

/// <summary>
/// A float32 matrix product C = A·B (or C += A·B) with AVX-512, for the processors where libtorch's own is slow: its
/// MKL gives AMD processors a generic AVX2 kernel (seen in perf as mkl_blas_def_sgemm_kernel_0_zen), and on the MLP
/// VAE's shapes (784·400·128, every transposition) this loop does about twice its work per second on one core
/// (benchmarks/README.md). On Intel processors MKL runs its own AVX-512 kernels and is used.
/// </summary>
/// <remarks>
/// The layout is the classic one of Goto and van de Geijn: B is copied into column panels of <see cref="PanelColumns"/>
/// (k-major, L2-sized blocks of <see cref="DepthBlock"/> × <see cref="ColumnBlock"/>), A into row panels of
/// <see cref="PanelRows"/>, and an 8 × 48 block of C is held in 24 of the 32 zmm registers while one depth block streams
/// through. Any row and column strides are accepted, so transposed operands are read in place; a transposed operand is
/// copied with 8 × 8 register transposes. Every element of C is summed in the same order whatever the other rows, so a
/// row's result does not depend on the batch around it.
/// </remarks>
internal static unsafe class PackedGemm
{
    /// <summary>
    /// Whether <see cref="OwnKernels"/> uses this product in this process: AVX-512 on AMD (the processors MKL gives its
    /// generic kernel). Where the application turns the kernels off (<see cref="Accelerations"/>), the layers compute
    /// through <see cref="PlainLibtorch"/> and never come here.
    /// </summary>
    public static bool IsPreferred { get; } = Avx512F.IsSupported && Runtime.Processor.IsAmdWithAvx512;

    /// <summary>
    /// Whether the layers use the packed kernels on this thread now: where they are preferred and have at least as many
    /// threads here (<see cref="Threads"/>) as libtorch would use (<paramref name="libtorchThreads"/>). A Fit gives them
    /// the cores; outside one, libtorch's two threads beat our one (the convolutional Transform ran about twice as fast
    /// on oneDNN's two threads as on the packed path's one; benchmarks/README.md).
    /// </summary>
    public static bool ServesWith(int libtorchThreads) => IsPreferred && Threads >= libtorchThreads;

    private const int PanelRows = 8, PanelColumns = 48, DepthBlock = 256, RowBlock = 256, ColumnBlock = 480;

    /// <summary>A strided view of a matrix: element (i, j) at Data[i·RowStride + j·ColumnStride].</summary>
    public readonly struct View(float* data, int rowStride, int columnStride)
    {
        public float* Data { get; } = data;

        public int RowStride { get; } = rowStride;

        public int ColumnStride { get; } = columnStride;

        /// <summary>The same elements read as the transposed matrix.</summary>
        public View Transposed => new(Data, ColumnStride, RowStride);

        public View Offset(int row, int column) => new(Data + (long)row * RowStride + (long)column * ColumnStride, RowStride, ColumnStride);
    }

    /// <summary>
    /// C (<paramref name="rows"/> × <paramref name="columns"/>, row-major with row stride <paramref name="cStride"/>) = A·B,
    /// or += A·B when <paramref name="accumulate"/>; A is rows × <paramref name="depth"/>, B depth × columns.
    /// </summary>
    public static void Multiply(int rows, int columns, int depth, View a, View b, float* c, int cStride, bool accumulate)
    {
        if (!Avx512F.IsSupported) throw new PlatformNotSupportedException("PackedGemm needs AVX-512F.");
        if (rows <= 0 || columns <= 0) return;
        // The helper serves one product at a time; a product called meanwhile from another thread runs unsplit.
        if (t_threads > 1 && (long)rows * columns * depth >= SplitWork && HelperThread.TryAcquire())
        {
            try
            {
                if (MultiplySplit(rows, columns, depth, a, b, c, cStride, accumulate)) return;
            }
            finally
            {
                HelperThread.Release();
            }
        }
        MultiplyHere(rows, columns, depth, a, b, c, cStride, accumulate);
    }

    // Two independent halves of C, the wider dimension cut at a panel boundary, the second half on the helper thread.
    // Each element is summed in the same order as without the split, so the result does not depend on the thread count.
    private static bool MultiplySplit(int rows, int columns, int depth, View a, View b, float* c, int cStride, bool accumulate)
    {
        if (columns >= rows && columns > PanelColumns)
        {
            int half = (columns / 2 + PanelColumns - 1) / PanelColumns * PanelColumns;
            HelperThread.Run(new Part(rows, columns - half, depth, a, b.Offset(0, half), c + half, cStride, accumulate));
            MultiplyHere(rows, half, depth, a, b, c, cStride, accumulate);
        }
        else if (rows > PanelRows)
        {
            int half = (rows / 2 + PanelRows - 1) / PanelRows * PanelRows;
            HelperThread.Run(new Part(rows - half, columns, depth, a.Offset(half, 0), b, c + (long)half * cStride, cStride, accumulate));
            MultiplyHere(half, columns, depth, a, b, c, cStride, accumulate);
        }
        else return false;
        HelperThread.Wait();
        return true;
    }

    /// <summary>
    /// How many threads a large product called from this thread uses: 1 (the calling thread) or 2 (with one helper
    /// thread). The training loop sets it on its own thread while it runs libtorch's operations on one thread, so the
    /// two never compete for the cores; per thread, so concurrent fits and transforms do not change each other's.
    /// (libtorch computes a CPU backward pass on the thread that calls backward(), so the setting reaches it.)
    /// </summary>
    public static int Threads
    {
        get => Math.Max(1, t_threads);
        set => t_threads = value;
    }

    [ThreadStatic] private static int t_threads;

    private const long SplitWork = 1L << 21;

    private static void MultiplyHere(int rows, int columns, int depth, View a, View b, float* c, int cStride, bool accumulate)
    {
        if (depth <= 0)
        {
            if (!accumulate)
                for (int i = 0; i < rows; i++) new Span<float>(c + (long)i * cStride, columns).Clear();
            return;
        }
        var buffers = Buffers.ForThisThread();
        for (int jc = 0; jc < columns; jc += ColumnBlock)
        {
            int nc = Math.Min(ColumnBlock, columns - jc);
            for (int pc = 0; pc < depth; pc += DepthBlock)
            {
                int kc = Math.Min(DepthBlock, depth - pc);
                PackB(kc, nc, b.Offset(pc, jc), buffers.B);
                bool add = accumulate || pc > 0;
                for (int ic = 0; ic < rows; ic += RowBlock)
                {
                    int mc = Math.Min(RowBlock, rows - ic);
                    PackA(mc, kc, a.Offset(ic, pc), buffers.A);
                    for (int jr = 0; jr < nc; jr += PanelColumns)
                    {
                        int nr = Math.Min(PanelColumns, nc - jr);
                        float* panelB = buffers.B + jr * kc;
                        for (int ir = 0; ir < mc; ir += PanelRows)
                        {
                            int mr = Math.Min(PanelRows, mc - ir);
                            float* panelA = buffers.A + ir * kc;
                            float* block = c + (long)(ic + ir) * cStride + jc + jr;
                            if (mr == PanelRows && nr == PanelColumns) Block(kc, panelA, panelB, block, cStride, add);
                            else PartialBlock(kc, mr, nr, panelA, panelB, block, cStride, add);
                        }
                    }
                }
            }
        }
    }

    // Row panels, k-major: dst[panel · kc · 8 + p · 8 + i] = A(panel · 8 + i, p); missing rows are zeros.
    private static void PackA(int rows, int kc, View a, float* dst)
    {
        for (int ir = 0; ir < rows; ir += PanelRows)
        {
            int mr = Math.Min(PanelRows, rows - ir);
            float* panel = dst + ir * kc;
            var source = a.Offset(ir, 0);
            if (mr == PanelRows && source.ColumnStride == 1) TransposeEightRows(source.Data, source.RowStride, kc, panel, PanelRows);
            else if (mr == PanelRows && source.RowStride == 1)
                for (int p = 0; p < kc; p++) Vector256.Store(Vector256.Load(source.Data + (long)p * source.ColumnStride), panel + p * PanelRows);
            else CopyScalar(source, mr, kc, panel, PanelRows);
        }
    }

    // Column panels, k-major: dst[panel · kc · 48 + p · 48 + j] = B(p, panel · 48 + j); missing columns are zeros.
    private static void PackB(int kc, int columns, View b, float* dst)
    {
        for (int jr = 0; jr < columns; jr += PanelColumns)
        {
            int nr = Math.Min(PanelColumns, columns - jr);
            float* panel = dst + jr * kc;
            var source = b.Offset(0, jr);
            if (nr == PanelColumns && source.ColumnStride == 1)
                for (int p = 0; p < kc; p++)
                {
                    float* from = source.Data + (long)p * source.RowStride, to = panel + p * PanelColumns;
                    Vector512.Store(Vector512.Load(from), to);
                    Vector512.Store(Vector512.Load(from + 16), to + 16);
                    Vector512.Store(Vector512.Load(from + 32), to + 32);
                }
            else if (nr == PanelColumns && source.RowStride == 1)
                for (int jb = 0; jb < PanelColumns; jb += 8)
                    TransposeEightRows(source.Data + (long)jb * source.ColumnStride, source.ColumnStride, kc, panel + jb, PanelColumns);
            else CopyScalar(source.Transposed, nr, kc, panel, PanelColumns);
        }
    }

    // dst[p · width + i] = source(i, p) for i < count (zeros up to width), p < depth.
    private static void CopyScalar(View source, int count, int depth, float* dst, int width)
    {
        for (int p = 0; p < depth; p++)
        {
            int i = 0;
            for (; i < count; i++) dst[p * width + i] = source.Data[(long)i * source.RowStride + (long)p * source.ColumnStride];
            for (; i < width; i++) dst[p * width + i] = 0;
        }
    }

    // Eight rows of `count` contiguous floats, `stride` apart, written as `count` groups of eight, `dstStride` apart:
    // dst[p · dstStride + r] = src[r · stride + p]. Eight-by-eight register transposes, then the tail one by one.
    private static void TransposeEightRows(float* src, int stride, int count, float* dst, int dstStride)
    {
        int p = 0;
        for (; p + 8 <= count; p += 8)
        {
            float* s = src + p;
            var r0 = Vector256.Load(s); var r1 = Vector256.Load(s + stride);
            var r2 = Vector256.Load(s + 2L * stride); var r3 = Vector256.Load(s + 3L * stride);
            var r4 = Vector256.Load(s + 4L * stride); var r5 = Vector256.Load(s + 5L * stride);
            var r6 = Vector256.Load(s + 6L * stride); var r7 = Vector256.Load(s + 7L * stride);
            var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
            var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
            var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
            var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
            var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
            var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
            var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
            var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
            float* d = dst + p * dstStride;
            Vector256.Store(Avx.Permute2x128(u0, u4, 0x20), d);
            Vector256.Store(Avx.Permute2x128(u1, u5, 0x20), d + dstStride);
            Vector256.Store(Avx.Permute2x128(u2, u6, 0x20), d + 2 * dstStride);
            Vector256.Store(Avx.Permute2x128(u3, u7, 0x20), d + 3 * dstStride);
            Vector256.Store(Avx.Permute2x128(u0, u4, 0x31), d + 4 * dstStride);
            Vector256.Store(Avx.Permute2x128(u1, u5, 0x31), d + 5 * dstStride);
            Vector256.Store(Avx.Permute2x128(u2, u6, 0x31), d + 6 * dstStride);
            Vector256.Store(Avx.Permute2x128(u3, u7, 0x31), d + 7 * dstStride);
        }
        for (; p < count; p++)
            for (int r = 0; r < 8; r++) dst[p * dstStride + r] = src[(long)r * stride + p];
    }

    // An 8 × 48 block of C from one row panel and one column panel: 24 accumulators, per step 3 loads of B, 8 broadcasts
    // of A and 24 FMAs (both FMA pipes busy, loads well under the two a cycle the core can do).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block(int kc, float* a, float* b, float* c, int cStride, bool add)
    {
        Vector512<float> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default,
            c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default,
            c40 = default, c41 = default, c42 = default, c50 = default, c51 = default, c52 = default,
            c60 = default, c61 = default, c62 = default, c70 = default, c71 = default, c72 = default;
        for (int p = 0; p < kc; p++, a += PanelRows, b += PanelColumns)
        {
            var b0 = Vector512.Load(b); var b1 = Vector512.Load(b + 16); var b2 = Vector512.Load(b + 32);
            var x = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01); c02 = Avx512F.FusedMultiplyAdd(x, b2, c02);
            x = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11); c12 = Avx512F.FusedMultiplyAdd(x, b2, c12);
            x = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21); c22 = Avx512F.FusedMultiplyAdd(x, b2, c22);
            x = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31); c32 = Avx512F.FusedMultiplyAdd(x, b2, c32);
            x = Vector512.Create(a[4]);
            c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41); c42 = Avx512F.FusedMultiplyAdd(x, b2, c42);
            x = Vector512.Create(a[5]);
            c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51); c52 = Avx512F.FusedMultiplyAdd(x, b2, c52);
            x = Vector512.Create(a[6]);
            c60 = Avx512F.FusedMultiplyAdd(x, b0, c60); c61 = Avx512F.FusedMultiplyAdd(x, b1, c61); c62 = Avx512F.FusedMultiplyAdd(x, b2, c62);
            x = Vector512.Create(a[7]);
            c70 = Avx512F.FusedMultiplyAdd(x, b0, c70); c71 = Avx512F.FusedMultiplyAdd(x, b1, c71); c72 = Avx512F.FusedMultiplyAdd(x, b2, c72);
        }
        StoreRow(c, c00, c01, c02, add); StoreRow(c + cStride, c10, c11, c12, add);
        StoreRow(c + 2L * cStride, c20, c21, c22, add); StoreRow(c + 3L * cStride, c30, c31, c32, add);
        StoreRow(c + 4L * cStride, c40, c41, c42, add); StoreRow(c + 5L * cStride, c50, c51, c52, add);
        StoreRow(c + 6L * cStride, c60, c61, c62, add); StoreRow(c + 7L * cStride, c70, c71, c72, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, bool add)
    {
        if (add)
        {
            v0 += Vector512.Load(c); v1 += Vector512.Load(c + 16); v2 += Vector512.Load(c + 32);
        }
        Vector512.Store(v0, c); Vector512.Store(v1, c + 16); Vector512.Store(v2, c + 32);
    }

    // A block at the matrix's edge: computed whole into a buffer (the panels are zero-padded), then its part copied.
    private static void PartialBlock(int kc, int mr, int nr, float* a, float* b, float* c, int cStride, bool add)
    {
        float* full = stackalloc float[PanelRows * PanelColumns];
        Block(kc, a, b, full, PanelColumns, add: false);
        for (int i = 0; i < mr; i++)
        {
            float* row = c + (long)i * cStride, from = full + i * PanelColumns;
            for (int j = 0; j < nr; j++) row[j] = add ? row[j] + from[j] : from[j];
        }
    }

    /// <summary>One half of a split product, for the helper thread.</summary>
    private sealed class Part(int rows, int columns, int depth, View a, View b, float* c, int cStride, bool accumulate) : HelperThread.IJob
    {
        public void Execute() => MultiplyHere(rows, columns, depth, a, b, c, cStride, accumulate);
    }

    /// <summary>Each thread's packing space, 64-byte aligned inside pinned arrays that go with the thread.</summary>
    private sealed class Buffers
    {
        [ThreadStatic] private static Buffers? _current;

        private readonly float[] _a = GC.AllocateUninitializedArray<float>(RowBlock * DepthBlock + 16, pinned: true);
        private readonly float[] _b = GC.AllocateUninitializedArray<float>(ColumnBlock * DepthBlock + 16, pinned: true);

        public float* A => Aligned(_a);

        public float* B => Aligned(_b);

        public static Buffers ForThisThread() => _current ??= new Buffers();

        private static float* Aligned(float[] pinned)
        {
            float* start = (float*)Unsafe.AsPointer(ref pinned[0]);
            return (float*)(((nint)start + 63) & ~(nint)63);
        }
    }
}
