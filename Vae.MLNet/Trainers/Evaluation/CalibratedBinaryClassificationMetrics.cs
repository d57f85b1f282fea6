namespace Vae.MLNet.Data;

/// <summary>Evaluation results for binary classifiers, including probabilistic metrics.</summary>
public sealed class CalibratedBinaryClassificationMetrics : BinaryClassificationMetrics
{
    internal CalibratedBinaryClassificationMetrics(BinaryClassificationMetrics metrics, double logLoss, double logLossReduction, double entropy)
        : base(metrics.AreaUnderRocCurve, metrics.Accuracy, metrics.PositivePrecision, metrics.PositiveRecall,
              metrics.NegativePrecision, metrics.NegativeRecall, metrics.F1Score, metrics.AreaUnderPrecisionRecallCurve,
              metrics.ConfusionMatrix)
    {
        LogLoss = logLoss;
        LogLossReduction = logLossReduction;
        Entropy = entropy;
    }

    /// <summary>
    /// Mean of <c>-log2(p)</c> over the examples, with <c>p</c> the probability given to the true class. Not clipped,
    /// as in ML.NET: a confident wrong prediction makes it infinite.
    /// </summary>
    public double LogLoss { get; }

    /// <summary>
    /// Relative log-loss improvement over always predicting the test set's positive rate:
    /// <c>(Entropy - LogLoss) / Entropy</c>. 1 is perfect; 0 is no better than the prior.
    /// </summary>
    public double LogLossReduction { get; }

    /// <summary>The test set's entropy in bits: the log loss of predicting the positive rate for every example.</summary>
    public double Entropy { get; }
}
