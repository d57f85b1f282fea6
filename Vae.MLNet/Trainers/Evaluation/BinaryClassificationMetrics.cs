namespace Vae.MLNet.Data;

/// <summary>Evaluation results for binary classifiers, excluding probabilistic metrics.</summary>
public class BinaryClassificationMetrics
{
    internal BinaryClassificationMetrics(
        double areaUnderRocCurve, double accuracy, double positivePrecision, double positiveRecall,
        double negativePrecision, double negativeRecall, double f1Score, double areaUnderPrecisionRecallCurve,
        ConfusionMatrix confusionMatrix)
    {
        AreaUnderRocCurve = areaUnderRocCurve;
        Accuracy = accuracy;
        PositivePrecision = positivePrecision;
        PositiveRecall = positiveRecall;
        NegativePrecision = negativePrecision;
        NegativeRecall = negativeRecall;
        F1Score = f1Score;
        AreaUnderPrecisionRecallCurve = areaUnderPrecisionRecallCurve;
        ConfusionMatrix = confusionMatrix;
    }

    /// <summary>
    /// Area under the ROC curve: the probability that a random positive scores above a random negative, ties counting
    /// one half. NaN when either class is absent.
    /// </summary>
    public double AreaUnderRocCurve { get; }

    /// <summary>The proportion of correct predictions.</summary>
    public double Accuracy { get; }

    /// <summary>Correct positive predictions over all positive predictions (0 when there are none).</summary>
    public double PositivePrecision { get; }

    /// <summary>Correct positive predictions over all positive examples (0 when there are none).</summary>
    public double PositiveRecall { get; }

    /// <summary>Correct negative predictions over all negative predictions (0 when there are none).</summary>
    public double NegativePrecision { get; }

    /// <summary>Correct negative predictions over all negative examples (0 when there are none).</summary>
    public double NegativeRecall { get; }

    /// <summary>Harmonic mean of <see cref="PositivePrecision"/> and <see cref="PositiveRecall"/> (NaN when both are 0, as in ML.NET).</summary>
    public double F1Score { get; }

    /// <summary>
    /// Area under the precision-recall curve by the lower trapezoid estimator (Boyd et al., 2013), which ML.NET uses;
    /// tied scores form one step.
    /// </summary>
    public double AreaUnderPrecisionRecallCurve { get; }

    /// <summary>The confusion table, positive class first.</summary>
    public ConfusionMatrix ConfusionMatrix { get; }
}
