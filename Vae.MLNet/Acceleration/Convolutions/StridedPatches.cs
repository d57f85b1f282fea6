using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Vae.MLNet.Acceleration.Gemm;

namespace Vae.MLNet.Acceleration.Convolutions;

/// <summary>
/// The patch matrix of the convolutional VAE's 4×4, stride-2, padding-1 convolutions (im2col) and its adjoint (col2im),
/// with AVX-512, for <see cref="PackedGemm"/>. Why our own: libtorch's unfold, or a strided copy, takes longer than the
/// matrix product the patches feed (figures in benchmarks/README.md).
/// </summary>
/// <remarks>
/// For images (n, c, h, w) the patch matrix has a row for each (channel, kernel row, kernel column), channel-major like
/// the weight (c · 16 rows), and a column for each (image, output row, output column): n · oh · ow columns, where
/// oh = ⌊(h + 2 − 4) / 2⌋ + 1. Entry ((c, kh, kw), (n, y, x)) = image[n, c, 2y + kh − 1, 2x + kw − 1], zero outside the
/// image. An input row feeds an output row's four kernel columns at every other pixel, so 15 outputs at a time are
/// picked from a 32-pixel window of the input row by one two-register permute each.
/// </remarks>
internal static unsafe class StridedPatches
{
    /// <summary>Outputs per window: 15 outputs at stride 2 with the 4 kernel columns reach 32 pixels, two registers.</summary>
    private const int Span = 15;

    /// <summary>Output size along one dimension: ⌊(size + 2 − 4) / 2⌋ + 1.</summary>
    public static int OutputSize(int size) => (size - 2) / 2 + 1;

    /// <summary>
    /// patches (c · 16 × n · oh · ow, row-major) = the patch matrix of <paramref name="images"/> (n, c, h, w, contiguous).
    /// </summary>
    public static void Gather(float* images, int n, int c, int h, int w, float* patches)
    {
        int oh = OutputSize(h), ow = OutputSize(w);
        long columns = (long)n * oh * ow;
        var pick = stackalloc Vector512<int>[4];
        for (int kw = 0; kw < 4; kw++) pick[kw] = PickIndex(kw);
        // Channel by channel, image by image: the patch rows are then read or written front to back.
        for (int channel = 0; channel < c; channel++)
            for (int image = 0; image < n; image++)
            {
                float* plane = images + ((long)image * c + channel) * h * w;
                for (int kh = 0; kh < 4; kh++)
                {
                    float* rows = patches + (channel * 16 + kh * 4) * columns + (long)image * oh * ow;
                    for (int y = 0; y < oh; y++)
                    {
                        int inputRow = 2 * y + kh - 1;
                        for (int x0 = 0; x0 < ow; x0 += Span)
                        {
                            var store = LaneMask(Math.Min(Span, ow - x0));
                            float* to = rows + y * ow + x0;
                            if (inputRow < 0 || inputRow >= h)
                            {
                                for (int kw = 0; kw < 4; kw++) Avx512F.MaskStore(to + kw * columns, store, Vector512<float>.Zero);
                                continue;
                            }
                            // Window pixel t is input column 2·x0 − 1 + t; pixels outside the image load as zero.
                            int first = 2 * x0 - 1;
                            float* window = plane + (long)inputRow * w + first;
                            var low = Avx512F.MaskLoad(window, InsideRow(first, w), Vector512<float>.Zero);
                            var high = Avx512F.MaskLoad(window + 16, InsideRow(first + 16, w), Vector512<float>.Zero);
                            for (int kw = 0; kw < 4; kw++)
                                Avx512F.MaskStore(to + kw * columns, store, Avx512F.PermuteVar16x32x2(low, pick[kw], high));
                        }
                    }
                }
            }
    }

    /// <summary>
    /// images (n, c, h, w) = the adjoint of <see cref="Gather"/> applied to <paramref name="patches"/>: each patch entry
    /// added to the pixel it was read from, on top of <paramref name="channelBias"/> (c values) or zero.
    /// </summary>
    public static void Scatter(float* patches, int n, int c, int h, int w, float* images, float* channelBias)
    {
        int oh = OutputSize(h), ow = OutputSize(w);
        long columns = (long)n * oh * ow;
        var placeLow = stackalloc Vector512<int>[4];
        var placeHigh = stackalloc Vector512<int>[4];
        for (int kw = 0; kw < 4; kw++) (placeLow[kw], placeHigh[kw]) = (PlaceIndex(kw, 0), PlaceIndex(kw, 16));
        // Channel by channel, image by image: the patch rows are then read or written front to back.
        for (int channel = 0; channel < c; channel++)
            for (int image = 0; image < n; image++)
            {
                float* plane = images + ((long)image * c + channel) * h * w;
                new System.Span<float>(plane, h * w).Fill(channelBias is null ? 0 : channelBias[channel]);
                for (int kh = 0; kh < 4; kh++)
                {
                    float* rows = patches + (channel * 16 + kh * 4) * columns + (long)image * oh * ow;
                    for (int y = 0; y < oh; y++)
                    {
                        int inputRow = 2 * y + kh - 1;
                        if (inputRow < 0 || inputRow >= h) continue;
                        for (int x0 = 0; x0 < ow; x0 += Span)
                        {
                            var load = LaneMask(Math.Min(Span, ow - x0));
                            float* from = rows + y * ow + x0;
                            Vector512<float> low = default, high = default;
                            for (int kw = 0; kw < 4; kw++)
                            {
                                var values = Avx512F.MaskLoad(from + kw * columns, load, Vector512<float>.Zero);
                                low += Avx512F.PermuteVar16x32x2(values, placeLow[kw], Vector512<float>.Zero);
                                high += Avx512F.PermuteVar16x32x2(values, placeHigh[kw], Vector512<float>.Zero);
                            }
                            int first = 2 * x0 - 1;
                            float* window = plane + (long)inputRow * w + first;
                            var lowInside = InsideRow(first, w);
                            var highInside = InsideRow(first + 16, w);
                            Avx512F.MaskStore(window, lowInside, Avx512F.MaskLoad(window, lowInside, Vector512<float>.Zero) + low);
                            Avx512F.MaskStore(window + 16, highInside, Avx512F.MaskLoad(window + 16, highInside, Vector512<float>.Zero) + high);
                        }
                    }
                }
            }
    }

    /// <summary>channelMajor (c × n · length) = blocks (n, c, length) with the first two dimensions swapped.</summary>
    public static void ToChannelMajor(float* blocks, int n, int c, int length, float* channelMajor)
    {
        for (int image = 0; image < n; image++)
            for (int channel = 0; channel < c; channel++)
                Buffer.MemoryCopy(blocks + ((long)image * c + channel) * length, channelMajor + ((long)channel * n + image) * length,
                    length * sizeof(float), length * sizeof(float));
    }

    /// <summary>blocks (n, c, length) = channelMajor (c × n · length) with the first two dimensions swapped, plus a bias per channel.</summary>
    public static void FromChannelMajor(float* channelMajor, int n, int c, int length, float* channelBias, float* blocks)
    {
        for (int image = 0; image < n; image++)
            for (int channel = 0; channel < c; channel++)
            {
                float* from = channelMajor + ((long)channel * n + image) * length, to = blocks + ((long)image * c + channel) * length;
                var bias = Vector512.Create(channelBias is null ? 0 : channelBias[channel]);
                int i = 0;
                for (; i + 16 <= length; i += 16) Vector512.Store(Vector512.Load(from + i) + bias, to + i);
                if (i < length)
                {
                    var rest = LaneMask(length - i);
                    Avx512F.MaskStore(to + i, rest, Avx512F.MaskLoad(from + i, rest, Vector512<float>.Zero) + bias);
                }
            }
    }

    // Lanes t with 0 ≤ first + t < width: the window pixels inside the image row.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> InsideRow(int first, int width)
    {
        var pixel = Vector512.Create(first) + Vector512<int>.Indices;
        return (Vector512.GreaterThanOrEqual(pixel, Vector512<int>.Zero) & Vector512.LessThan(pixel, Vector512.Create(width))).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> LaneMask(int count) => Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    // Output x0 + i of kernel column kw reads window pixel 2i + kw (lane 15 is never stored).
    private static Vector512<int> PickIndex(int kw) => Vector512<int>.Indices * 2 + Vector512.Create(kw);

    // Window pixel offset + t receives output i of kernel column kw where offset + t = 2i + kw, i < 15; other lanes take
    // index 16, the zero register's first lane.
    private static Vector512<int> PlaceIndex(int kw, int offset)
    {
        var shifted = Vector512<int>.Indices + Vector512.Create(offset - kw);
        var output = shifted >>> 1;
        var valid = Vector512.GreaterThanOrEqual(shifted, Vector512<int>.Zero)
            & Vector512.Equals(shifted & Vector512<int>.One, Vector512<int>.Zero)
            & Vector512.LessThan(output, Vector512.Create(Span));
        return Vector512.ConditionalSelect(valid, output, Vector512.Create(16));
    }
}
