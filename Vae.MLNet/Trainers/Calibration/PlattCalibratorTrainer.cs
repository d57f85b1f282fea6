namespace Vae.MLNet.Calibrators;

/// <summary>
/// Fits a <see cref="PlattCalibrator"/> to scores and binary labels by maximum likelihood, following Platt (1999)
/// with the Newton method and regularized targets of Lin, Lin and Weng (2007), "A note on Platt's probabilistic
/// outputs for support vector machines".
/// </summary>
internal static class PlattCalibratorTrainer
{
    private const int MaxIterations = 100;
    private const double MinStep = 1e-10;
    private const double Ridge = 1e-12;
    private const double GradientTolerance = 1e-10; // per unit of total weight; Newton makes a tight stop cheap

    /// <summary>Fits slope and offset; a label greater than 0 is positive. Weights are optional.</summary>
    public static PlattCalibrator Fit(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights = default)
    {
        if (scores.Length != labels.Length || (!weights.IsEmpty && weights.Length != scores.Length))
            throw new ArgumentException($"Expected equal lengths; got {scores.Length} scores, {labels.Length} labels, {weights.Length} weights.");
        double positives = 0, negatives = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] > 0)
                positives += Weight(weights, i);
            else
                negatives += Weight(weights, i);
        }
        if (positives == 0 || negatives == 0)
            throw new ArgumentException($"Platt calibration needs both classes; got positive weight {positives}, negative weight {negatives}.");

        // Smoothed targets keep the fit finite on separable scores (Platt's out-of-sample prior correction).
        double high = (positives + 1) / (positives + 2), low = 1 / (negatives + 2);
        var targets = new double[labels.Length];
        for (int i = 0; i < labels.Length; i++)
            targets[i] = labels[i] > 0 ? high : low;

        double a = 0, b = Math.Log((negatives + 1) / (positives + 1));
        double value = Objective(scores, targets, weights, a, b);
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            double gA = 0, gB = 0, hAA = Ridge, hAB = 0, hBB = Ridge;
            for (int i = 0; i < scores.Length; i++)
            {
                double s = Weight(weights, i), f = scores[i];
                double p = Trainers.LogisticMath.Sigmoid(-(a * f + b));
                double curvature = s * p * (1 - p), residual = s * (targets[i] - p);
                gA += f * residual;
                gB += residual;
                hAA += f * f * curvature;
                hAB += f * curvature;
                hBB += curvature;
            }
            if (Math.Max(Math.Abs(gA), Math.Abs(gB)) < GradientTolerance * (positives + negatives))
                break;
            // Newton direction: solve H d = -g for the 2x2 Hessian.
            double det = hAA * hBB - hAB * hAB;
            double dA = -(hBB * gA - hAB * gB) / det, dB = -(-hAB * gA + hAA * gB) / det;
            double slope = gA * dA + gB * dB, step = 1;
            while (step >= MinStep)
            {
                double candidate = Objective(scores, targets, weights, a + step * dA, b + step * dB);
                if (candidate < value + 1e-4 * step * slope)
                {
                    (a, b, value) = (a + step * dA, b + step * dB, candidate);
                    break;
                }
                step /= 2;
            }
            if (step < MinStep)
                break;
        }
        return new PlattCalibrator(a, b);
    }

    private static double Objective(ReadOnlySpan<float> scores, double[] targets, ReadOnlySpan<float> weights, double a, double b)
    {
        double sum = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            // -t log p - (1 - t) log(1 - p) with p = sigmoid(-u) equals softplus(u) - (1 - t) u.
            double u = a * scores[i] + b;
            sum += Weight(weights, i) * (Trainers.LogisticMath.Softplus(u) - (1 - targets[i]) * u);
        }
        return sum;
    }

    private static double Weight(ReadOnlySpan<float> weights, int i) => weights.IsEmpty ? 1 : weights[i];
}
