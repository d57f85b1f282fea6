namespace Vae.MLNet.Reporting;

/// <summary>
/// Principal component analysis of a small number of dimensions (latent spaces): the covariance matrix of the
/// centred rows, diagonalized by cyclic Jacobi rotations, which is exact to rounding and needs no tuning.
/// </summary>
internal sealed class Pca
{
    private const int MaxSweeps = 100;

    private Pca(double[] mean, double[][] components, double[] variances)
    {
        Mean = mean;
        Components = components;
        Variances = variances;
    }

    /// <summary>The mean row, subtracted before projecting.</summary>
    public double[] Mean { get; }

    /// <summary>Unit eigenvectors of the covariance, by decreasing variance; each one's largest entry is positive, so the result is deterministic.</summary>
    public double[][] Components { get; }

    /// <summary>The variance along each component (the eigenvalues, decreasing).</summary>
    public double[] Variances { get; }

    /// <summary>The share of the total variance along component <paramref name="index"/> (0 when there is no variance).</summary>
    public double ExplainedRatio(int index)
    {
        double total = Variances.Sum();
        return total > 0 ? Variances[index] / total : 0;
    }

    /// <summary>The coordinates of <paramref name="row"/> on the first <paramref name="count"/> components.</summary>
    public double[] Project(IReadOnlyList<float> row, int count) =>
        Enumerable.Range(0, count).Select(k =>
        {
            double sum = 0;
            for (int j = 0; j < Mean.Length; j++) sum += (row[j] - Mean[j]) * Components[k][j];
            return sum;
        }).ToArray();

    /// <summary>Fits the components of <paramref name="rows"/> (all of one length, at least one row).</summary>
    public static Pca Fit(IReadOnlyList<float[]> rows)
    {
        if (rows.Count == 0) throw new ArgumentException("PCA needs at least one row.", nameof(rows));
        int d = rows[0].Length;
        var mean = new double[d];
        foreach (var row in rows)
        {
            if (row.Length != d) throw new ArgumentException($"Every row needs {d} values, got one with {row.Length}.", nameof(rows));
            for (int j = 0; j < d; j++) mean[j] += row[j];
        }
        for (int j = 0; j < d; j++) mean[j] /= rows.Count;
        var covariance = new double[d, d];
        foreach (var row in rows)
            for (int i = 0; i < d; i++)
                for (int j = 0; j <= i; j++)
                    covariance[i, j] += (row[i] - mean[i]) * (row[j] - mean[j]);
        for (int i = 0; i < d; i++)
            for (int j = 0; j <= i; j++)
                covariance[j, i] = covariance[i, j] /= rows.Count;

        var (values, vectors) = SymmetricEigen(covariance);
        var order = Enumerable.Range(0, d).OrderByDescending(k => values[k]).ToArray();
        var components = order.Select(k =>
        {
            var v = Enumerable.Range(0, d).Select(i => vectors[i, k]).ToArray();
            double largest = v.MaxBy(Math.Abs);
            return largest < 0 ? v.Select(x => -x).ToArray() : v;
        }).ToArray();
        return new Pca(mean, components, order.Select(k => Math.Max(values[k], 0)).ToArray());
    }

    /// <summary>
    /// Eigenvalues and eigenvectors (as columns) of a symmetric matrix by cyclic Jacobi: each rotation zeroes one
    /// off-diagonal pair, and sweeps repeat until the off-diagonal mass is negligible.
    /// </summary>
    internal static (double[] Values, double[,] Vectors) SymmetricEigen(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        var v = new double[n, n];
        for (int i = 0; i < n; i++) v[i, i] = 1;
        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            double off = 0, scale = 0;
            for (int i = 0; i < n; i++)
            {
                scale += a[i, i] * a[i, i];
                for (int j = i + 1; j < n; j++) off += a[i, j] * a[i, j];
            }
            if (off <= 1e-30 * Math.Max(scale, 1e-300)) break;
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                    if (a[p, q] != 0) Rotate(a, v, p, q);
        }
        return (Enumerable.Range(0, n).Select(i => a[i, i]).ToArray(), v);
    }

    /// <summary>The rotation in the (p, q) plane that zeroes a[p, q], applied to a (both sides) and to v.</summary>
    private static void Rotate(double[,] a, double[,] v, int p, int q)
    {
        int n = a.GetLength(0);
        // tan θ is the smaller root of t² + 2τt − 1 = 0, which keeps the rotation small and stable.
        double tau = (a[q, q] - a[p, p]) / (2 * a[p, q]);
        double t = Math.Sign(tau == 0 ? 1 : tau) / (Math.Abs(tau) + Math.Sqrt(1 + tau * tau));
        double c = 1 / Math.Sqrt(1 + t * t), s = t * c;
        for (int k = 0; k < n; k++)
        {
            double akp = a[k, p], akq = a[k, q];
            a[k, p] = c * akp - s * akq;
            a[k, q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++)
        {
            double apk = a[p, k], aqk = a[q, k];
            a[p, k] = c * apk - s * aqk;
            a[q, k] = s * apk + c * aqk;
        }
        for (int k = 0; k < n; k++)
        {
            double vkp = v[k, p], vkq = v[k, q];
            v[k, p] = c * vkp - s * vkq;
            v[k, q] = s * vkp + c * vkq;
        }
    }
}
