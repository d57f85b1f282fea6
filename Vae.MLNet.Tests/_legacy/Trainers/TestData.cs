using Vae.MLNet.Trainers;

namespace Vae.MLNet.Tests.Trainers;

/// <summary>Deterministic synthetic datasets and the small dense algebra the reference solutions need.</summary>
internal static class TestData
{
    /// <summary>A standard normal draw (Box-Muller).</summary>
    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Rows of standard normal features.</summary>
    public static float[][] GaussianRows(Random random, int rows, int features)
    {
        var x = new float[rows][];
        for (int i = 0; i < rows; i++)
        {
            x[i] = new float[features];
            for (int j = 0; j < features; j++)
                x[i][j] = (float)Gaussian(random);
        }
        return x;
    }

    /// <summary>Binary labels drawn from a logistic model with the given weights and bias (so not separable).</summary>
    public static float[] LogisticLabels(Random random, float[][] x, double[] w, double b) =>
        x.Select(row => random.NextDouble() < 1 / (1 + Math.Exp(-(Dot(row, w) + b))) ? 1f : 0f).ToArray();

    /// <summary>Class-index labels and features for Gaussian blobs centred at <paramref name="centres"/>.</summary>
    public static (float[][] X, float[] Labels) Blobs(Random random, double[][] centres, int perClass, double spread)
    {
        var x = new List<float[]>();
        var labels = new List<float>();
        for (int c = 0; c < centres.Length; c++)
        {
            for (int i = 0; i < perClass; i++)
            {
                x.Add(centres[c].Select(m => (float)(m + spread * Gaussian(random))).ToArray());
                labels.Add(c);
            }
        }
        return (x.ToArray(), labels.ToArray());
    }

    public static ITrainingRows Rows(float[][] x, float[] labels, float[]? weights = null) =>
        InMemoryTrainingRows.FromRows(x, labels, weights);

    public static double Dot(float[] x, double[] w)
    {
        double sum = 0;
        for (int j = 0; j < x.Length; j++)
            sum += x[j] * w[j];
        return sum;
    }

    /// <summary>
    /// (bias, weights...) minimizing <c>sum_i (b + w.x_i - y_i)^2 + ridge |w|^2</c>, from the normal equations.
    /// </summary>
    public static double[] RidgeSolution(float[][] x, float[] y, double ridge)
    {
        int m = x[0].Length + 1;
        var a = new double[m, m];
        var r = new double[m];
        for (int i = 0; i < x.Length; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double xj = j == 0 ? 1 : x[i][j - 1];
                r[j] += xj * y[i];
                for (int k = 0; k < m; k++)
                    a[j, k] += xj * (k == 0 ? 1 : x[i][k - 1]);
            }
        }
        for (int j = 1; j < m; j++)
            a[j, j] += ridge;
        return Solve(a, r);
    }

    /// <summary>Solves <c>A z = r</c> by Gaussian elimination with partial pivoting (A and r are copied).</summary>
    public static double[] Solve(double[,] a, double[] r)
    {
        int n = r.Length;
        var m = (double[,])a.Clone();
        var z = (double[])r.Clone();
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int row = col + 1; row < n; row++)
            {
                if (Math.Abs(m[row, col]) > Math.Abs(m[pivot, col]))
                    pivot = row;
            }
            for (int k = 0; k < n; k++)
                (m[col, k], m[pivot, k]) = (m[pivot, k], m[col, k]);
            (z[col], z[pivot]) = (z[pivot], z[col]);
            for (int row = col + 1; row < n; row++)
            {
                double factor = m[row, col] / m[col, col];
                for (int k = col; k < n; k++)
                    m[row, k] -= factor * m[col, k];
                z[row] -= factor * z[col];
            }
        }
        for (int row = n - 1; row >= 0; row--)
        {
            for (int k = row + 1; k < n; k++)
                z[row] -= m[row, k] * z[k];
            z[row] /= m[row, row];
        }
        return z;
    }
}
