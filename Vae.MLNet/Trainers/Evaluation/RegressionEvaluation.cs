namespace Vae.MLNet.Data;

/// <summary>Computes <see cref="RegressionMetrics"/> from labels and scores held in memory; rows with a NaN label or score are skipped.</summary>
internal static class RegressionEvaluation
{
    /// <summary>Evaluates <paramref name="scores"/> against <paramref name="labels"/>, optionally weighted.</summary>
    public static RegressionMetrics Evaluate(ReadOnlySpan<float> labels, ReadOnlySpan<float> scores, ReadOnlySpan<float> weights = default)
    {
        if (scores.Length != labels.Length || (!weights.IsEmpty && weights.Length != labels.Length))
            throw new ArgumentException($"Expected one value per row: {labels.Length} labels, {scores.Length} scores, {weights.Length} weights.");
        double total = 0, absolute = 0, squared = 0, labelSum = 0, labelSquares = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (float.IsNaN(labels[i]) || float.IsNaN(scores[i]))
                continue;
            double w = weights.IsEmpty ? 1 : weights[i], residual = (double)labels[i] - scores[i];
            total += w;
            absolute += w * Math.Abs(residual);
            squared += w * residual * residual;
            labelSum += w * labels[i];
            labelSquares += w * labels[i] * (double)labels[i];
        }
        double meanSquared = squared / total;
        double labelVariance = labelSquares / total - (labelSum / total) * (labelSum / total);
        return new RegressionMetrics(absolute / total, meanSquared, meanSquared, 1 - meanSquared / labelVariance);
    }
}
