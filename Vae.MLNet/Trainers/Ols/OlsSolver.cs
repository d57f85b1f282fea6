namespace Vae.MLNet.Trainers;

/// <summary>An OLS fit with the statistics ML.NET's <c>OlsModelParameters</c> reports.</summary>
/// <param name="Model">The fitted weights and bias.</param>
/// <param name="RSquared">Coefficient of determination, clamped to [0, 1]; NaN when the fit is exact by construction.</param>
/// <param name="RSquaredAdjusted">Adjusted R²; NaN unless there are more rows than parameters.</param>
/// <param name="StandardErrors">Per-parameter standard errors, bias first; null when not computed.</param>
/// <param name="TValues">Per-parameter t-statistics, bias first; null when not computed.</param>
/// <param name="PValues">Per-parameter two-sided p-values, bias first; null when not computed.</param>
internal sealed record OlsResult(
    LinearModel Model, double RSquared, double RSquaredAdjusted, double[]? StandardErrors, double[]? TValues, double[]? PValues);

/// <summary>Ordinary least squares (ridge when L2 is positive) from the normal equations, in double precision.</summary>
/// <remarks>
/// Two passes: one accumulates <c>X'SX</c> and <c>X'Sy</c> (with a leading column of ones for the bias), one the
/// residuals. Standard errors are the square roots of the diagonal of
/// <c>s^2 (X'X + R)^-1 X'X (X'X + R)^-1</c>, with <c>s^2 = RSS / (n - m)</c> and <c>R</c> the ridge term.
/// </remarks>
internal static class OlsSolver
{
    /// <summary>Fits the model; throws when the system is underdetermined or singular without regularization.</summary>
    public static OlsResult Train(ITrainingRows data, OlsTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int d = data.FeatureCount, m = d + 1;
        long n = data.RowCount;
        var xtx = new double[m][];
        for (int i = 0; i < m; i++)
            xtx[i] = new double[i + 1]; // lower triangle
        var xty = new double[m];
        double weightSum = 0, labelSum = 0;
        data.ForEach((_, x, y, s) =>
        {
            weightSum += s;
            labelSum += s * y;
            xtx[0][0] += s;
            xty[0] += s * y;
            for (int i = 1; i < m; i++)
            {
                double sx = s * x[i - 1];
                xtx[i][0] += sx;
                VectorMath.AddScaled(xtx[i].AsSpan(1, i), sx, x[..i]);
                xty[i] += sx * y;
            }
        });
        double l2 = options.L2Regularization;
        if (l2 == 0 && n < m)
            throw new InvalidOperationException(
                $"Ordinary least squares needs at least as many rows as parameters: {m} parameters, {n} rows. " +
                "Use a positive L2Regularization to fit a ridge regression instead.");
        double ridge = l2 * (double)l2 * weightSum;
        for (int i = 1; i < m; i++)
            xtx[i][i] += ridge;
        var factor = Cholesky.TryFactor(xtx) ?? throw new InvalidOperationException(
            "X'X is not positive definite (collinear or constant features). Use a positive L2Regularization.");
        var beta = factor.Solve(xty);
        if (beta.Any(b => !double.IsFinite(b)))
            throw new InvalidOperationException("Non-finite values in the OLS solution.");
        var model = new LinearModel(beta.Skip(1).Select(b => (float)b).ToArray(), (float)beta[0]);
        if (l2 == 0 && n == m)
            return new OlsResult(model, double.NaN, double.NaN, null, null, null);

        double mean = labelSum / weightSum, rss = 0, tss = 0;
        data.ForEach((_, x, y, s) =>
        {
            double residual = y - (VectorMath.Dot(x, beta.AsSpan(1)) + beta[0]);
            rss += s * residual * residual;
            tss += s * (y - mean) * (y - mean);
        });
        double rSquared = Math.Clamp(1 - rss / tss, 0, 1);
        double adjusted = n > m ? Math.Clamp(1 - (1 - rSquared) * (n - 1) / (n - m), 0, 1) : double.NaN;
        if (!options.CalculateStatistics || n <= m)
            return new OlsResult(model, rSquared, adjusted, null, null, null);

        var inverse = factor.Inverse();
        double variance = rss / (n - m);
        var errors = new double[m];
        var tValues = new double[m];
        var pValues = new double[m];
        for (int i = 0; i < m; i++)
        {
            // diag(A^-1 (A - R) A^-1) = diag(A^-1) - ridge * sum over regularized j of (A^-1)_ij^2.
            double diagonal = inverse[i][i];
            for (int j = 1; j < m; j++)
                diagonal -= ridge * inverse[i][j] * inverse[i][j];
            errors[i] = Math.Sqrt(variance * diagonal);
            tValues[i] = beta[i] / errors[i];
            pValues[i] = StudentT.TwoSidedPValue(tValues[i], n - m);
        }
        return new OlsResult(model, rSquared, adjusted, errors, tValues, pValues);
    }
}
