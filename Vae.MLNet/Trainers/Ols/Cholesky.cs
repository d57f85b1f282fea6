namespace Vae.MLNet.Trainers;

/// <summary>
/// Cholesky factorization <c>A = L L^T</c> of a symmetric positive-definite matrix held in its lower triangle,
/// with the solves and the inverse OLS needs.
/// </summary>
internal sealed class Cholesky
{
    private readonly double[][] _l;

    private Cholesky(double[][] l) => _l = l;

    /// <summary>Factors the lower triangle of <paramref name="a"/> in place; null when it is not positive definite.</summary>
    public static Cholesky? TryFactor(double[][] a)
    {
        int n = a.Length;
        for (int j = 0; j < n; j++)
        {
            double diagonal = a[j][j] - VectorMath.Dot(a[j].AsSpan(0, j), a[j].AsSpan(0, j));
            if (!(diagonal > 0))
                return null;
            double pivot = Math.Sqrt(diagonal);
            a[j][j] = pivot;
            for (int i = j + 1; i < n; i++)
                a[i][j] = (a[i][j] - VectorMath.Dot(a[i].AsSpan(0, j), a[j].AsSpan(0, j))) / pivot;
        }
        return new Cholesky(a);
    }

    /// <summary>Returns <c>x</c> with <c>A x = b</c>.</summary>
    public double[] Solve(ReadOnlySpan<double> b)
    {
        int n = _l.Length;
        var x = b.ToArray();
        for (int i = 0; i < n; i++)
            x[i] = (x[i] - VectorMath.Dot(_l[i].AsSpan(0, i), x.AsSpan(0, i))) / _l[i][i];
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = x[i];
            for (int k = i + 1; k < n; k++)
                sum -= _l[k][i] * x[k];
            x[i] = sum / _l[i][i];
        }
        return x;
    }

    /// <summary>Returns <c>A^-1</c> as a full symmetric matrix, from <c>L^-T L^-1</c>.</summary>
    public double[][] Inverse()
    {
        int n = _l.Length;
        // Columns of L^-1 by forward substitution; inverse[i] holds row i of L^-1 (lower triangular).
        var lInverse = new double[n][];
        for (int i = 0; i < n; i++)
        {
            lInverse[i] = new double[n];
            lInverse[i][i] = 1 / _l[i][i];
            for (int j = 0; j < i; j++)
            {
                double sum = 0;
                for (int k = j; k < i; k++)
                    sum += _l[i][k] * lInverse[k][j];
                lInverse[i][j] = -sum / _l[i][i];
            }
        }
        var inverse = new double[n][];
        for (int i = 0; i < n; i++)
            inverse[i] = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = 0;
                for (int k = i; k < n; k++)
                    sum += lInverse[k][i] * lInverse[k][j];
                inverse[i][j] = inverse[j][i] = sum;
            }
        }
        return inverse;
    }
}
