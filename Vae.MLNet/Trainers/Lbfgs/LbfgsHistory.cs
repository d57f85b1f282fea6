namespace Vae.MLNet.Trainers;

/// <summary>
/// The last m curvature pairs (s = x' - x, y = g' - g) of L-BFGS and the two-loop recursion that applies the implied
/// inverse-Hessian approximation (Nocedal and Wright, Algorithm 7.4).
/// </summary>
internal sealed class LbfgsHistory
{
    private readonly double[][] _s;
    private readonly double[][] _y;
    private readonly double[] _rho;
    private readonly double[] _alpha;
    private int _count;
    private int _newest = -1;

    public LbfgsHistory(int size, int dimension)
    {
        _s = new double[size][];
        _y = new double[size][];
        for (int i = 0; i < size; i++)
        {
            _s[i] = new double[dimension];
            _y[i] = new double[dimension];
        }
        _rho = new double[size];
        _alpha = new double[size];
    }

    public void Clear() => (_count, _newest) = (0, -1);

    /// <summary>Stores the pair if it has positive curvature (s.y > 0), which keeps the approximation positive definite.</summary>
    public void Push(ReadOnlySpan<double> s, ReadOnlySpan<double> y)
    {
        double sy = Dot(s, y);
        double yy = Dot(y, y);
        if (!(sy > 1e-12 * yy) || yy == 0)
            return;
        _newest = (_newest + 1) % _s.Length;
        s.CopyTo(_s[_newest]);
        y.CopyTo(_y[_newest]);
        _rho[_newest] = 1 / sy;
        _count = Math.Min(_count + 1, _s.Length);
    }

    /// <summary>Overwrites <paramref name="v"/> with <c>H v</c>.</summary>
    public void ApplyInverseHessian(Span<double> v)
    {
        int m = _s.Length;
        for (int k = 0, i = _newest; k < _count; k++, i = (i - 1 + m) % m)
        {
            _alpha[i] = _rho[i] * Dot(_s[i], v);
            AddScaled(v, -_alpha[i], _y[i]);
        }
        if (_count > 0)
        {
            // Initial scaling gamma = s.y / y.y of the newest pair (Nocedal and Wright, eq. 7.20).
            double gamma = 1 / (_rho[_newest] * Dot(_y[_newest], _y[_newest]));
            for (int j = 0; j < v.Length; j++)
                v[j] *= gamma;
        }
        for (int k = 0, i = (_newest - _count + 1 + m) % m; k < _count; k++, i = (i + 1) % m)
        {
            double beta = _rho[i] * Dot(_y[i], v);
            AddScaled(v, _alpha[i] - beta, _s[i]);
        }
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => VectorMath.Dot(a, b);

    private static void AddScaled(Span<double> v, double a, ReadOnlySpan<double> x) => VectorMath.AddScaled(v, a, x);
}
