namespace Vae.MLNet.Data;

/// <summary>Evaluation results for multiclass classifiers.</summary>
public sealed class MulticlassClassificationMetrics
{
    internal MulticlassClassificationMetrics(
        double microAccuracy, double macroAccuracy, double logLoss, double logLossReduction, int topKPredictionCount,
        IReadOnlyList<double> topKAccuracyForAllK, IReadOnlyList<double> perClassLogLoss, ConfusionMatrix confusionMatrix)
    {
        MicroAccuracy = microAccuracy;
        MacroAccuracy = macroAccuracy;
        LogLoss = logLoss;
        LogLossReduction = logLossReduction;
        TopKPredictionCount = topKPredictionCount;
        TopKAccuracyForAllK = topKAccuracyForAllK;
        PerClassLogLoss = perClassLogLoss;
        ConfusionMatrix = confusionMatrix;
    }

    /// <summary>Mean of <c>-ln(p)</c> for the true class's score <c>p</c>, clipped to [1e-15, 1] as in ML.NET.</summary>
    public double LogLoss { get; }

    /// <summary>
    /// Relative log-loss improvement over predicting the test set's class frequencies:
    /// <c>(H - LogLoss) / H</c> with <c>H</c> the label entropy in nats.
    /// </summary>
    public double LogLossReduction { get; }

    /// <summary>Accuracy averaged over the classes present in the test set (the mean per-class recall).</summary>
    public double MacroAccuracy { get; }

    /// <summary>The proportion of examples whose highest-scoring class is the true class.</summary>
    public double MicroAccuracy { get; }

    /// <summary>The proportion of examples whose true class is among the <see cref="TopKPredictionCount"/> highest scores; 0 when that is 0.</summary>
    public double TopKAccuracy => TopKPredictionCount > 0 ? TopKAccuracyForAllK[TopKPredictionCount - 1] : 0;

    /// <summary>The K of <see cref="TopKAccuracy"/>; 0 when not requested.</summary>
    public int TopKPredictionCount { get; }

    /// <summary>Top-K accuracy for K = 1 up to the number of classes (the first entry is <see cref="MicroAccuracy"/>).</summary>
    public IReadOnlyList<double> TopKAccuracyForAllK { get; }

    /// <summary>Mean log loss of each class's examples (0 for a class absent from the test set).</summary>
    public IReadOnlyList<double> PerClassLogLoss { get; }

    /// <summary>The confusion table.</summary>
    public ConfusionMatrix ConfusionMatrix { get; }
}
