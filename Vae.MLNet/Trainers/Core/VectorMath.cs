using System.Numerics;
using System.Runtime.InteropServices;

namespace Vae.MLNet.Trainers;

/// <summary>
/// The dot and axpy kernels the solvers spend their time in. Float features meet double weights and sums are
/// accumulated in double so long passes do not lose precision. SIMD through <see cref="Vector{T}"/> with a scalar tail.
/// </summary>
internal static class VectorMath
{
    /// <summary>Returns <c>x . w</c> over the length of <paramref name="x"/>.</summary>
    public static double Dot(ReadOnlySpan<float> x, ReadOnlySpan<double> w)
    {
        w = w[..x.Length];
        var blocks = MemoryMarshal.Cast<float, Vector<float>>(x);
        int width = Vector<double>.Count;
        var acc = Vector<double>.Zero;
        for (int k = 0; k < blocks.Length; k++)
        {
            Vector.Widen(blocks[k], out var lo, out var hi);
            acc += lo * new Vector<double>(w.Slice(2 * k * width, width))
                 + hi * new Vector<double>(w.Slice((2 * k + 1) * width, width));
        }
        double sum = Vector.Sum(acc);
        for (int i = blocks.Length * Vector<float>.Count; i < x.Length; i++)
            sum += x[i] * w[i];
        return sum;
    }

    /// <summary>Returns <c>x . w</c> accumulated in double.</summary>
    public static double Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> w)
    {
        w = w[..x.Length];
        var xs = MemoryMarshal.Cast<float, Vector<float>>(x);
        var ws = MemoryMarshal.Cast<float, Vector<float>>(w);
        var acc = Vector<double>.Zero;
        for (int k = 0; k < xs.Length; k++)
        {
            Vector.Widen(xs[k], out var xlo, out var xhi);
            Vector.Widen(ws[k], out var wlo, out var whi);
            acc += xlo * wlo + xhi * whi;
        }
        double sum = Vector.Sum(acc);
        for (int i = xs.Length * Vector<float>.Count; i < x.Length; i++)
            sum += (double)x[i] * w[i];
        return sum;
    }

    /// <summary>Computes <c>w += a * x</c> over the length of <paramref name="x"/>.</summary>
    public static void AddScaled(Span<double> w, double a, ReadOnlySpan<float> x)
    {
        w = w[..x.Length];
        var blocks = MemoryMarshal.Cast<float, Vector<float>>(x);
        int width = Vector<double>.Count;
        var scale = new Vector<double>(a);
        for (int k = 0; k < blocks.Length; k++)
        {
            Vector.Widen(blocks[k], out var lo, out var hi);
            var wLo = w.Slice(2 * k * width, width);
            var wHi = w.Slice((2 * k + 1) * width, width);
            (new Vector<double>(wLo) + scale * lo).CopyTo(wLo);
            (new Vector<double>(wHi) + scale * hi).CopyTo(wHi);
        }
        for (int i = blocks.Length * Vector<float>.Count; i < x.Length; i++)
            w[i] += a * x[i];
    }

    /// <summary>Returns <c>a . b</c>.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        b = b[..a.Length];
        var av = MemoryMarshal.Cast<double, Vector<double>>(a);
        var bv = MemoryMarshal.Cast<double, Vector<double>>(b);
        var acc = Vector<double>.Zero;
        for (int k = 0; k < av.Length; k++)
            acc += av[k] * bv[k];
        double sum = Vector.Sum(acc);
        for (int i = av.Length * Vector<double>.Count; i < a.Length; i++)
            sum += a[i] * b[i];
        return sum;
    }

    /// <summary>Computes <c>w += a * x</c>.</summary>
    public static void AddScaled(Span<double> w, double a, ReadOnlySpan<double> x)
    {
        w = w[..x.Length];
        var wv = MemoryMarshal.Cast<double, Vector<double>>(w);
        var xv = MemoryMarshal.Cast<double, Vector<double>>(x);
        var scale = new Vector<double>(a);
        for (int k = 0; k < wv.Length; k++)
            wv[k] += scale * xv[k];
        for (int i = wv.Length * Vector<double>.Count; i < x.Length; i++)
            w[i] += a * x[i];
    }

    /// <summary>Returns <c>sum x_i^2</c> accumulated in double.</summary>
    public static double SquaredNorm(ReadOnlySpan<float> x) => Dot(x, x);
}
