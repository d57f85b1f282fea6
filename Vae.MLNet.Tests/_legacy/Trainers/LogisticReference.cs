namespace Vae.MLNet.Tests.Trainers;

/// <summary>
/// Reference solutions of L2-regularized logistic regression computed independently of the library: Newton's
/// method on <c>sum_i s_i l_i + l2/2 |w|^2</c> (intercept unregularized), and the gradient used for KKT checks.
/// </summary>
internal static class LogisticReference
{
    /// <summary>
    /// Returns (bias, weights...) minimizing the binary objective, by 50 Newton steps from zero; optionally the
    /// bias is regularized like a weight.
    /// </summary>
    public static double[] NewtonBinary(float[][] x, float[] labels, double l2, bool regularizeBias = false)
    {
        int d = x[0].Length, m = d + 1;
        var theta = new double[m];
        for (int iteration = 0; iteration < 50; iteration++)
        {
            var gradient = Gradient(x, labels, theta, l2, regularizeBias);
            var hessian = new double[m, m];
            for (int j = regularizeBias ? 0 : 1; j < m; j++)
                hessian[j, j] = l2;
            foreach (var row in x)
            {
                double p = 1 / (1 + Math.Exp(-Score(row, theta)));
                double c = p * (1 - p);
                for (int j = 0; j < m; j++)
                {
                    for (int k = 0; k < m; k++)
                        hessian[j, k] += c * Feature(row, j) * Feature(row, k);
                }
            }
            var step = TestData.Solve(hessian, gradient);
            for (int j = 0; j < m; j++)
                theta[j] -= step[j];
        }
        return theta;
    }

    /// <summary>Gradient of <c>sum_i l_i + l2/2 |w|^2</c> at (bias, weights...).</summary>
    public static double[] Gradient(float[][] x, float[] labels, double[] theta, double l2, bool regularizeBias = false)
    {
        int m = theta.Length;
        var gradient = new double[m];
        for (int j = regularizeBias ? 0 : 1; j < m; j++)
            gradient[j] = l2 * theta[j];
        for (int i = 0; i < x.Length; i++)
        {
            double residual = 1 / (1 + Math.Exp(-Score(x[i], theta))) - (labels[i] > 0 ? 1 : 0);
            for (int j = 0; j < m; j++)
                gradient[j] += residual * Feature(x[i], j);
        }
        return gradient;
    }

    private static double Score(float[] row, double[] theta)
    {
        double z = theta[0];
        for (int j = 0; j < row.Length; j++)
            z += theta[j + 1] * row[j];
        return z;
    }

    private static double Feature(float[] row, int j) => j == 0 ? 1 : row[j - 1];
}
