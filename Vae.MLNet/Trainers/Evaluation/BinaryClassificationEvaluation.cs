namespace Vae.MLNet.Data;

/// <summary>Computes <see cref="BinaryClassificationMetrics"/> from labels, scores and predictions held in memory.</summary>
/// <remarks>
/// Rows with a non-finite score are skipped, as ML.NET's evaluator does. Predicted labels default to
/// <c>score &gt; 0</c>. With weights every count and sum is weighted.
/// </remarks>
internal static class BinaryClassificationEvaluation
{
    private static readonly string[] ClassNames = ["positive", "negative"];

    /// <summary>Metrics from raw scores; AUC and AUPRC rank the scores, the rest use the predicted labels.</summary>
    public static BinaryClassificationMetrics Evaluate(
        ReadOnlySpan<bool> labels, ReadOnlySpan<float> scores, ReadOnlySpan<bool> predictedLabels = default, ReadOnlySpan<float> weights = default)
    {
        CheckLengths(labels.Length, scores.Length, predictedLabels.Length, weights.Length, probabilities: -1);
        var rows = new List<int>(labels.Length);
        for (int i = 0; i < scores.Length; i++)
        {
            if (float.IsFinite(scores[i]))
                rows.Add(i);
        }
        double tp = 0, fn = 0, fp = 0, tn = 0;
        foreach (int i in rows)
        {
            double w = Weight(weights, i);
            bool predicted = predictedLabels.IsEmpty ? scores[i] > 0 : predictedLabels[i];
            if (labels[i])
                (tp, fn) = predicted ? (tp + w, fn) : (tp, fn + w);
            else
                (fp, tn) = predicted ? (fp + w, tn) : (fp, tn + w);
        }
        var (auc, auprc) = RankingAreas(labels, scores, weights, rows);
        double precision = Ratio(tp, tp + fp), recall = Ratio(tp, tp + fn);
        return new BinaryClassificationMetrics(
            auc,
            (tp + tn) / (tp + tn + fp + fn),
            precision,
            recall,
            Ratio(tn, tn + fn),
            Ratio(tn, tn + fp),
            2 * precision * recall / (precision + recall),
            auprc,
            new ConfusionMatrix([[tp, fn], [fp, tn]], ClassNames, isBinary: true));
    }

    /// <summary>Metrics from scores plus calibrated probabilities of the positive class (log losses in bits).</summary>
    public static CalibratedBinaryClassificationMetrics EvaluateCalibrated(
        ReadOnlySpan<bool> labels, ReadOnlySpan<float> scores, ReadOnlySpan<float> probabilities,
        ReadOnlySpan<bool> predictedLabels = default, ReadOnlySpan<float> weights = default)
    {
        CheckLengths(labels.Length, scores.Length, predictedLabels.Length, weights.Length, probabilities.Length);
        var metrics = Evaluate(labels, scores, predictedLabels, weights);
        double logLoss = 0, positives = 0, total = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (!float.IsFinite(scores[i]) || float.IsNaN(probabilities[i]))
                continue;
            double w = Weight(weights, i);
            logLoss -= w * Math.Log2(labels[i] ? probabilities[i] : 1.0 - probabilities[i]);
            positives += labels[i] ? w : 0;
            total += w;
        }
        logLoss = total > 0 ? logLoss / total : 0;
        double priorLogLoss = Entropy(positives / total);
        var counts = metrics.ConfusionMatrix.Counts;
        double entropy = Entropy((counts[0][0] + counts[0][1]) / (counts[0][0] + counts[0][1] + counts[1][0] + counts[1][1]));
        return new CalibratedBinaryClassificationMetrics(metrics, logLoss, (priorLogLoss - logLoss) / priorLogLoss, entropy);
    }

    /// <summary>
    /// Exact AUC (tied scores count one half) and the lower-trapezoid AUPRC, from one sort by descending score;
    /// each run of tied scores is one threshold step.
    /// </summary>
    private static (double Auc, double Auprc) RankingAreas(ReadOnlySpan<bool> labels, ReadOnlySpan<float> scores, ReadOnlySpan<float> weights, List<int> rows)
    {
        var order = rows.ToArray();
        var keys = new float[order.Length];
        for (int k = 0; k < order.Length; k++)
            keys[k] = -scores[order[k]];
        Array.Sort(keys, order);
        double totalPositive = 0, totalNegative = 0;
        foreach (int i in order)
        {
            if (labels[i])
                totalPositive += Weight(weights, i);
            else
                totalNegative += Weight(weights, i);
        }
        double positivesAbove = 0, negativesAbove = 0, aucSum = 0, auprc = 0, lastRecall = 0, lastPrecision = 1;
        for (int start = 0; start < order.Length;)
        {
            double groupPositive = 0, groupNegative = 0;
            int end = start;
            for (; end < order.Length && keys[end] == keys[start]; end++)
            {
                if (labels[order[end]])
                    groupPositive += Weight(weights, order[end]);
                else
                    groupNegative += Weight(weights, order[end]);
            }
            aucSum += groupNegative * (positivesAbove + groupPositive / 2);
            positivesAbove += groupPositive;
            negativesAbove += groupNegative;
            double precision = positivesAbove / (positivesAbove + negativesAbove);
            if (groupPositive > 0)
            {
                double recall = positivesAbove / totalPositive;
                auprc += (recall - lastRecall) * (lastPrecision + precision) / 2;
                lastRecall = recall;
            }
            lastPrecision = precision;
            start = end;
        }
        return (aucSum / (totalPositive * totalNegative), auprc);
    }

    /// <summary>Binary entropy in bits.</summary>
    private static double Entropy(double p) => -(XLog2X(p) + XLog2X(1 - p));

    private static double XLog2X(double p) => p > 0 ? p * Math.Log2(p) : 0;

    private static double Ratio(double numerator, double denominator) => denominator > 0 ? numerator / denominator : 0;

    private static double Weight(ReadOnlySpan<float> weights, int i) => weights.IsEmpty ? 1 : weights[i];

    private static void CheckLengths(int labels, int scores, int predicted, int weights, int probabilities)
    {
        if (scores != labels || (predicted != 0 && predicted != labels) || (weights != 0 && weights != labels) || (probabilities >= 0 && probabilities != labels))
            throw new ArgumentException(
                $"Every column must have one value per row: {labels} labels, {scores} scores, {predicted} predicted labels, {weights} weights" +
                (probabilities >= 0 ? $", {probabilities} probabilities." : "."));
    }
}
