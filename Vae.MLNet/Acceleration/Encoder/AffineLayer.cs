using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Vae.MLNet.Acceleration.Encoder;

/// <summary>
/// One fitted affine layer y = W·x + b as managed arrays, applied at a cost of only the rows' non-zero inputs (MNIST's
/// pixels are 81% zeros, a ReLU layer's outputs about half). W is stored input-major in groups of 64 outputs, so each
/// non-zero x_j adds x_j times one contiguous 256-byte slice of a group into accumulators held in registers (four
/// 512-bit ones with AVX-512, eight 256-bit ones without). The loop runs group by group over all rows, so one group's
/// weights (inputs × 256 bytes: 200 KB for 784 inputs) stay in the core's L2 cache while every row uses them; with
/// AVX-512 four rows share each weight load (see <see cref="Apply"/>). Each row's sum runs in a fixed order, whatever
/// the other rows. Its cost grows with the rows' non-zeros: at MNIST's density (19%) it beats libtorch's dense MKL
/// product in batches, and for one row it avoids libtorch's dispatch, which costs more than the arithmetic (figures
/// in benchmarks/README.md). No library offers a sparse-input dense-weight product that does as well: libtorch's
/// sparse matrices are slower than its dense GEMM at these sizes, and ML.NET has none.
/// </summary>
internal sealed class AffineLayer
{
    private const int Lanes = 8, Group = 8 * Lanes;

    private readonly float[] _groups;
    private readonly float[] _bias;
    private readonly int _groupCount;
    private readonly bool _avx512;

    /// <param name="weights">W as (outputs × inputs), row-major, as torch's Linear stores it.</param>
    /// <param name="bias">b, one per output.</param>
    /// <param name="avx512">512-bit registers where the processor has them (false: 256-bit, as without AVX-512).</param>
    public AffineLayer(float[] weights, float[] bias, bool avx512 = true)
    {
        _avx512 = avx512 && Avx512F.IsSupported;
        Outputs = bias.Length;
        if (Outputs == 0 || weights.Length % Outputs != 0)
            throw new ArgumentException($"{weights.Length} weights do not make a matrix with {Outputs} rows.", nameof(weights));
        Inputs = weights.Length / Outputs;
        _groupCount = (Outputs + Group - 1) / Group;
        // Padding outputs of the last group get zero weights and bias; they are computed and never stored.
        _bias = new float[_groupCount * Group];
        bias.CopyTo(_bias, 0);
        _groups = new float[_groupCount * Inputs * Group];
        for (int o = 0; o < Outputs; o++)
            for (int i = 0; i < Inputs; i++)
                _groups[((o / Group) * Inputs + i) * Group + o % Group] = weights[o * Inputs + i];
    }

    public int Inputs { get; }

    /// <summary>This layer's outputs followed by <paramref name="other"/>'s, both of the same inputs, as one layer.</summary>
    public AffineLayer Stack(AffineLayer other)
    {
        if (other.Inputs != Inputs) throw new ArgumentException($"Layers of {Inputs} and {other.Inputs} inputs do not stack.", nameof(other));
        var weights = new float[(Outputs + other.Outputs) * Inputs];
        var bias = new float[Outputs + other.Outputs];
        for (int o = 0; o < bias.Length; o++)
        {
            var (layer, index) = o < Outputs ? (this, o) : (other, o - Outputs);
            bias[o] = layer._bias[index];
            for (int i = 0; i < Inputs; i++)
                weights[o * Inputs + i] = layer._groups[((index / Group) * Inputs + i) * Group + index % Group];
        }
        return new AffineLayer(weights, bias, _avx512);
    }

    public int Outputs { get; }

    /// <summary>
    /// y = W·x + b for <paramref name="rows"/> rows of <paramref name="input"/> (rows × <see cref="Inputs"/>) into
    /// <paramref name="output"/> (rows × <see cref="Outputs"/>). <paramref name="scratch"/> holds at least
    /// <paramref name="rows"/> × <see cref="Inputs"/> non-zeros.
    /// </summary>
    /// <remarks>
    /// With AVX-512, rows go four at a time over the positions where any of the four is non-zero: each slice of
    /// weights loaded serves four rows (MNIST: 305 such positions for four rows against 150 non-zeros in one, so half
    /// the loads a row needs alone). The remaining rows go one by one. A row's sum runs over its non-zeros in input
    /// order either way — the other rows of its block add only exact zeros — so the result does not depend on the rows
    /// around it.
    /// </remarks>
    public void Apply(ReadOnlySpan<float> input, int rows, Span<float> output, NonZeroScratch scratch)
    {
        int blocks = _avx512 ? rows / BlockRows : 0;
        if (blocks > 0) ApplyBlocks(input, blocks, output, scratch);
        int done = blocks * BlockRows;
        if (done < rows) ApplyRows(input[(done * Inputs)..], rows - done, output[(done * Outputs)..], scratch);
    }

    private const int BlockRows = 4;

    private void ApplyRows(ReadOnlySpan<float> input, int rows, Span<float> output, NonZeroScratch scratch)
    {
        scratch.Gather(input, rows, Inputs, _avx512);
        Span<float> partial = stackalloc float[Group];
        for (int g = 0; g < _groupCount; g++)
        {
            ref float group = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_groups), g * Inputs * Group);
            ref float groupBias = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_bias), g * Group);
            int first = g * Group, width = Math.Min(Group, Outputs - first);
            for (int r = 0; r < rows; r++)
            {
                // A full group goes straight to the output; the last, partial one through a buffer.
                Span<float> destination = width == Group ? output.Slice(r * Outputs + first, Group) : partial;
                if (_avx512) SumWide(ref group, ref groupBias, scratch, scratch.Starts[r], scratch.Starts[r + 1], destination);
                else SumNarrow(ref group, ref groupBias, scratch, scratch.Starts[r], scratch.Starts[r + 1], destination);
                if (width < Group) partial[..width].CopyTo(output.Slice(r * Outputs + first, width));
            }
        }
    }

    private void ApplyBlocks(ReadOnlySpan<float> input, int blocks, Span<float> output, NonZeroScratch scratch)
    {
        scratch.GatherBlocks(input, blocks, Inputs);
        Span<float> partial = stackalloc float[BlockRows * Group];
        for (int g = 0; g < _groupCount; g++)
        {
            ref float group = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_groups), g * Inputs * Group);
            ref float groupBias = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_bias), g * Group);
            int first = g * Group, width = Math.Min(Group, Outputs - first);
            for (int b = 0; b < blocks; b++)
            {
                int r = b * BlockRows;
                Span<float> destination = width == Group ? output.Slice(r * Outputs + first) : partial;
                int stride = width == Group ? Outputs : Group;
                SumBlock(ref group, ref groupBias, scratch, scratch.BlockStarts[b], scratch.BlockStarts[b + 1], destination, stride);
                if (width < Group)
                    for (int i = 0; i < BlockRows; i++) partial.Slice(i * Group, width).CopyTo(output.Slice((r + i) * Outputs + first, width));
            }
        }
    }

    // Four rows' 64 sums over the block's positions [start, end): sixteen 512-bit accumulators, four weight loads and
    // sixteen FMAs a position. Row i's sums go to destination[i · stride ..].
    private static void SumBlock(ref float group, ref float bias, NonZeroScratch scratch, int start, int end, Span<float> destination, int stride)
    {
        const int Wide = 2 * Lanes;
        ref int indices = ref MemoryMarshal.GetArrayDataReference(scratch.Indices);
        ref float x0 = ref MemoryMarshal.GetArrayDataReference(scratch.BlockValues[0]);
        ref float x1 = ref MemoryMarshal.GetArrayDataReference(scratch.BlockValues[1]);
        ref float x2 = ref MemoryMarshal.GetArrayDataReference(scratch.BlockValues[2]);
        ref float x3 = ref MemoryMarshal.GetArrayDataReference(scratch.BlockValues[3]);
        var (b0, b1, b2, b3) = LoadGroup(ref bias);
        Vector512<float> a00 = b0, a01 = b1, a02 = b2, a03 = b3, a10 = b0, a11 = b1, a12 = b2, a13 = b3,
            a20 = b0, a21 = b1, a22 = b2, a23 = b3, a30 = b0, a31 = b1, a32 = b2, a33 = b3;
        for (int n = start; n < end; n++)
        {
            ref float w = ref Unsafe.Add(ref group, Unsafe.Add(ref indices, n) * Group);
            var w0 = Vector512.LoadUnsafe(ref w);
            var w1 = Vector512.LoadUnsafe(ref w, Wide);
            var w2 = Vector512.LoadUnsafe(ref w, 2 * Wide);
            var w3 = Vector512.LoadUnsafe(ref w, 3 * Wide);
            var x = Vector512.Create(Unsafe.Add(ref x0, n));
            a00 = Avx512F.FusedMultiplyAdd(w0, x, a00); a01 = Avx512F.FusedMultiplyAdd(w1, x, a01);
            a02 = Avx512F.FusedMultiplyAdd(w2, x, a02); a03 = Avx512F.FusedMultiplyAdd(w3, x, a03);
            x = Vector512.Create(Unsafe.Add(ref x1, n));
            a10 = Avx512F.FusedMultiplyAdd(w0, x, a10); a11 = Avx512F.FusedMultiplyAdd(w1, x, a11);
            a12 = Avx512F.FusedMultiplyAdd(w2, x, a12); a13 = Avx512F.FusedMultiplyAdd(w3, x, a13);
            x = Vector512.Create(Unsafe.Add(ref x2, n));
            a20 = Avx512F.FusedMultiplyAdd(w0, x, a20); a21 = Avx512F.FusedMultiplyAdd(w1, x, a21);
            a22 = Avx512F.FusedMultiplyAdd(w2, x, a22); a23 = Avx512F.FusedMultiplyAdd(w3, x, a23);
            x = Vector512.Create(Unsafe.Add(ref x3, n));
            a30 = Avx512F.FusedMultiplyAdd(w0, x, a30); a31 = Avx512F.FusedMultiplyAdd(w1, x, a31);
            a32 = Avx512F.FusedMultiplyAdd(w2, x, a32); a33 = Avx512F.FusedMultiplyAdd(w3, x, a33);
        }
        StoreGroup(destination, a00, a01, a02, a03);
        StoreGroup(destination[stride..], a10, a11, a12, a13);
        StoreGroup(destination[(2 * stride)..], a20, a21, a22, a23);
        StoreGroup(destination[(3 * stride)..], a30, a31, a32, a33);
    }

    private static (Vector512<float>, Vector512<float>, Vector512<float>, Vector512<float>) LoadGroup(ref float values)
    {
        const int Wide = 2 * Lanes;
        return (Vector512.LoadUnsafe(ref values), Vector512.LoadUnsafe(ref values, Wide),
            Vector512.LoadUnsafe(ref values, 2 * Wide), Vector512.LoadUnsafe(ref values, 3 * Wide));
    }

    private static void StoreGroup(Span<float> destination, Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3)
    {
        const int Wide = 2 * Lanes;
        a0.CopyTo(destination);
        a1.CopyTo(destination[Wide..]);
        a2.CopyTo(destination[(2 * Wide)..]);
        a3.CopyTo(destination[(3 * Wide)..]);
    }

    // One row's 64 sums over its non-zeros [start, end): eight independent 256-bit sums, enough to keep both FMA units
    // busy through the FMA latency.
    private static void SumNarrow(ref float group, ref float bias, NonZeroScratch scratch, int start, int end, Span<float> destination)
    {
        ref int indices = ref MemoryMarshal.GetArrayDataReference(scratch.Indices);
        ref float values = ref MemoryMarshal.GetArrayDataReference(scratch.Values);
        var a0 = Vector256.LoadUnsafe(ref bias);
        var a1 = Vector256.LoadUnsafe(ref bias, Lanes);
        var a2 = Vector256.LoadUnsafe(ref bias, 2 * Lanes);
        var a3 = Vector256.LoadUnsafe(ref bias, 3 * Lanes);
        var a4 = Vector256.LoadUnsafe(ref bias, 4 * Lanes);
        var a5 = Vector256.LoadUnsafe(ref bias, 5 * Lanes);
        var a6 = Vector256.LoadUnsafe(ref bias, 6 * Lanes);
        var a7 = Vector256.LoadUnsafe(ref bias, 7 * Lanes);
        for (int n = start; n < end; n++)
        {
            ref float w = ref Unsafe.Add(ref group, Unsafe.Add(ref indices, n) * Group);
            var x = Vector256.Create(Unsafe.Add(ref values, n));
            a0 = MultiplyAdd(Vector256.LoadUnsafe(ref w), x, a0);
            a1 = MultiplyAdd(Vector256.LoadUnsafe(ref w, Lanes), x, a1);
            a2 = MultiplyAdd(Vector256.LoadUnsafe(ref w, 2 * Lanes), x, a2);
            a3 = MultiplyAdd(Vector256.LoadUnsafe(ref w, 3 * Lanes), x, a3);
            a4 = MultiplyAdd(Vector256.LoadUnsafe(ref w, 4 * Lanes), x, a4);
            a5 = MultiplyAdd(Vector256.LoadUnsafe(ref w, 5 * Lanes), x, a5);
            a6 = MultiplyAdd(Vector256.LoadUnsafe(ref w, 6 * Lanes), x, a6);
            a7 = MultiplyAdd(Vector256.LoadUnsafe(ref w, 7 * Lanes), x, a7);
        }
        a0.CopyTo(destination);
        a1.CopyTo(destination[Lanes..]);
        a2.CopyTo(destination[(2 * Lanes)..]);
        a3.CopyTo(destination[(3 * Lanes)..]);
        a4.CopyTo(destination[(4 * Lanes)..]);
        a5.CopyTo(destination[(5 * Lanes)..]);
        a6.CopyTo(destination[(6 * Lanes)..]);
        a7.CopyTo(destination[(7 * Lanes)..]);
    }

    // The same with four 512-bit sums, one non-zero after another: the order SumBlock adds a row's terms in, so a row
    // gets the same bits alone as in a block of four.
    private static void SumWide(ref float group, ref float bias, NonZeroScratch scratch, int start, int end, Span<float> destination)
    {
        const int Wide = 2 * Lanes;
        ref int indices = ref MemoryMarshal.GetArrayDataReference(scratch.Indices);
        ref float values = ref MemoryMarshal.GetArrayDataReference(scratch.Values);
        var (a0, a1, a2, a3) = LoadGroup(ref bias);
        for (int n = start; n < end; n++)
        {
            ref float w = ref Unsafe.Add(ref group, Unsafe.Add(ref indices, n) * Group);
            var x = Vector512.Create(Unsafe.Add(ref values, n));
            a0 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w), x, a0);
            a1 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w, Wide), x, a1);
            a2 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w, 2 * Wide), x, a2);
            a3 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w, 3 * Wide), x, a3);
        }
        StoreGroup(destination, a0, a1, a2, a3);
    }

    // Fma.MultiplyAdd, not Vector256.FusedMultiplyAdd: .NET 10 does not compile the latter to one instruction, which
    // made each step several times slower.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;
}

/// <summary>The non-zeros of a block of rows (positions and values, row after row), reused from block to block.</summary>
internal sealed class NonZeroScratch(int capacity, int maxRows)
{
    /// <summary>How many non-zeros it holds at most.</summary>
    public int Capacity { get; } = capacity;

    public int[] Indices { get; } = new int[capacity + 16];

    public float[] Values { get; } = new float[capacity + 16];

    /// <summary>Where row r's non-zeros start; row r ends where row r + 1 starts.</summary>
    public int[] Starts { get; } = new int[maxRows + 1];

    /// <summary>Per row of a block of four, its values at the block's positions (<see cref="GatherBlocks"/>).</summary>
    public float[][] BlockValues { get; } = [.. Enumerable.Range(0, 4).Select(_ => new float[capacity / 4 + 16])];

    /// <summary>Where block b's positions start in <see cref="Indices"/>; block b ends where block b + 1 starts.</summary>
    public int[] BlockStarts { get; } = new int[maxRows / 4 + 1];

    /// <summary>
    /// For each of <paramref name="blocks"/> blocks of four rows of <paramref name="width"/> values, the positions where
    /// any of the four is non-zero (into <see cref="Indices"/>) and each row's value there (into
    /// <see cref="BlockValues"/>), 16 positions at a time with AVX-512's compress.
    /// </summary>
    public void GatherBlocks(ReadOnlySpan<float> input, int blocks, int width)
    {
        int count = 0;
        float[] v0 = BlockValues[0], v1 = BlockValues[1], v2 = BlockValues[2], v3 = BlockValues[3];
        var positions = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        for (int b = 0; b < blocks; b++)
        {
            BlockStarts[b] = count;
            ref float x0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(input), b * 4 * width);
            ref float x1 = ref Unsafe.Add(ref x0, width);
            ref float x2 = ref Unsafe.Add(ref x1, width);
            ref float x3 = ref Unsafe.Add(ref x2, width);
            int i = 0;
            for (; i + 16 <= width; i += 16)
            {
                var a0 = Vector512.LoadUnsafe(ref x0, (nuint)i);
                var a1 = Vector512.LoadUnsafe(ref x1, (nuint)i);
                var a2 = Vector512.LoadUnsafe(ref x2, (nuint)i);
                var a3 = Vector512.LoadUnsafe(ref x3, (nuint)i);
                var any = Avx512F.CompareNotEqual(a0, Vector512<float>.Zero) | Avx512F.CompareNotEqual(a1, Vector512<float>.Zero)
                    | Avx512F.CompareNotEqual(a2, Vector512<float>.Zero) | Avx512F.CompareNotEqual(a3, Vector512<float>.Zero);
                Avx512F.Compress(Vector512<float>.Zero, any, a0).StoreUnsafe(ref v0[0], (nuint)count);
                Avx512F.Compress(Vector512<float>.Zero, any, a1).StoreUnsafe(ref v1[0], (nuint)count);
                Avx512F.Compress(Vector512<float>.Zero, any, a2).StoreUnsafe(ref v2[0], (nuint)count);
                Avx512F.Compress(Vector512<float>.Zero, any, a3).StoreUnsafe(ref v3[0], (nuint)count);
                Avx512F.Compress(Vector512<int>.Zero, any.AsInt32(), positions + Vector512.Create(i)).StoreUnsafe(ref Indices[0], (nuint)count);
                count += BitOperations.PopCount(any.ExtractMostSignificantBits());
            }
            for (; i < width; i++)
            {
                float e0 = Unsafe.Add(ref x0, i), e1 = Unsafe.Add(ref x1, i), e2 = Unsafe.Add(ref x2, i), e3 = Unsafe.Add(ref x3, i);
                if (e0 == 0 && e1 == 0 && e2 == 0 && e3 == 0) continue;
                Indices[count] = i;
                (v0[count], v1[count], v2[count], v3[count]) = (e0, e1, e2, e3);
                count++;
            }
        }
        BlockStarts[blocks] = count;
    }

    /// <summary>
    /// Collects the non-zeros of each of <paramref name="rows"/> rows of <paramref name="width"/> values, 16 at a time
    /// with AVX-512's compress where allowed (no branch per non-zero), else eight at a time.
    /// </summary>
    public void Gather(ReadOnlySpan<float> input, int rows, int width, bool avx512 = true)
    {
        int count = 0;
        ref float x = ref MemoryMarshal.GetReference(input);
        bool wide = avx512 && Avx512F.IsSupported;
        var positions = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        for (int r = 0; r < rows; r++)
        {
            Starts[r] = count;
            int i = r * width, end = i + width;
            if (wide)
            {
                // Compressed vectors are stored whole: the arrays have 16 spare places at the end for the last one.
                for (; i + 16 <= end; i += 16)
                {
                    var v = Vector512.LoadUnsafe(ref x, (nuint)i);
                    var nonZero = Avx512F.CompareNotEqual(v, Vector512<float>.Zero);
                    Avx512F.Compress(Vector512<float>.Zero, nonZero, v).StoreUnsafe(ref Values[0], (nuint)count);
                    Avx512F.Compress(Vector512<int>.Zero, nonZero.AsInt32(), positions + Vector512.Create(i - r * width)).StoreUnsafe(ref Indices[0], (nuint)count);
                    count += BitOperations.PopCount(nonZero.ExtractMostSignificantBits());
                }
            }
            for (; i + Lanes <= end; i += Lanes)
            {
                uint mask = ~Vector256.Equals(Vector256.LoadUnsafe(ref x, (nuint)i), Vector256<float>.Zero).ExtractMostSignificantBits() & 0xFF;
                while (mask != 0)
                {
                    int j = i + BitOperations.TrailingZeroCount(mask);
                    Indices[count] = j - r * width;
                    Values[count++] = input[j];
                    mask &= mask - 1;
                }
            }
            for (; i < end; i++)
            {
                if (input[i] == 0) continue;
                Indices[count] = i - r * width;
                Values[count++] = input[i];
            }
        }
        Starts[rows] = count;
    }

    /// <summary>How many of <paramref name="values"/> are not zero.</summary>
    public static int Count(ReadOnlySpan<float> values)
    {
        int count = 0, i = 0;
        ref float x = ref MemoryMarshal.GetReference(values);
        for (; i + Lanes <= values.Length; i += Lanes)
            count += Lanes - BitOperations.PopCount(Vector256.Equals(Vector256.LoadUnsafe(ref x, (nuint)i), Vector256<float>.Zero).ExtractMostSignificantBits());
        for (; i < values.Length; i++)
            if (values[i] != 0) count++;
        return count;
    }

    private const int Lanes = 8;
}
