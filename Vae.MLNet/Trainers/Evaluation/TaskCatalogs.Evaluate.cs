using Vae.MLNet.Data;
using Vae.MLNet.Trainers;

namespace Vae.MLNet;

public sealed partial class MulticlassClassificationCatalog
{
    /// <summary>
    /// Evaluates scored multiclass data: accuracies, log losses, top-K accuracy and the confusion table.
    /// </summary>
    /// <remarks>
    /// The label is a key (key 0, a value unseen when the key mapping was fitted, is skipped) or a Single class index
    /// (NaN skipped). As in ML.NET, each row's prediction is the highest score (the lowest class on ties), so
    /// <paramref name="predictedLabelColumnName"/> is not read; it is accepted for compatibility.
    /// </remarks>
    /// <param name="data">The scored data.</param>
    /// <param name="labelColumnName">The label column.</param>
    /// <param name="scoreColumnName">The score column: a known-size vector of Single, one probability per class.</param>
    /// <param name="predictedLabelColumnName">The predicted label column (not read).</param>
    /// <param name="topKPredictionCount">K of <see cref="MulticlassClassificationMetrics.TopKAccuracy"/>; 0 for none.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type, or K is out of range.</exception>
    public MulticlassClassificationMetrics Evaluate(IDataView data, string labelColumnName = DefaultColumnNames.Label,
        string scoreColumnName = DefaultColumnNames.Score, string predictedLabelColumnName = DefaultColumnNames.PredictedLabel, int topKPredictionCount = 0)
    {
        var rows = EvaluationData.ReadMulticlass(data, labelColumnName, scoreColumnName);
        return MulticlassClassificationEvaluation.Evaluate(rows.Labels, rows.Scores, rows.ClassCount, topKPredictionCount, classNames: rows.ClassNames);
    }
}

public sealed partial class BinaryClassificationCatalog
{
    /// <summary>Evaluates scored binary data with probabilities: ranking, threshold and log-loss metrics.</summary>
    /// <remarks>See <see cref="EvaluateNonCalibrated"/> for the label, score and predicted label columns.</remarks>
    /// <param name="data">The scored data.</param>
    /// <param name="labelColumnName">The label column: Boolean, or Single/Double (positive when greater than 0, NaN skipped).</param>
    /// <param name="scoreColumnName">The score column: Single, higher = more positive.</param>
    /// <param name="probabilityColumnName">The probability column: Single, the calibrated probability of the positive class.</param>
    /// <param name="predictedLabelColumnName">The predicted label column (Boolean); when absent, <c>score &gt; 0</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type.</exception>
    public CalibratedBinaryClassificationMetrics Evaluate(IDataView data, string labelColumnName = DefaultColumnNames.Label,
        string scoreColumnName = DefaultColumnNames.Score, string probabilityColumnName = DefaultColumnNames.Probability,
        string predictedLabelColumnName = DefaultColumnNames.PredictedLabel)
    {
        ArgumentException.ThrowIfNullOrEmpty(probabilityColumnName);
        var rows = EvaluationData.ReadBinary(data, labelColumnName, scoreColumnName, probabilityColumnName, predictedLabelColumnName);
        return BinaryClassificationEvaluation.EvaluateCalibrated(rows.Labels, rows.Scores, rows.Probabilities, rows.PredictedLabels);
    }

    /// <summary>
    /// Evaluates scored binary data without probabilities, for example a raw anomaly score where higher means more
    /// likely positive: AUC and AUPRC rank the scores; accuracy, precision, recall and F1 use the predicted labels.
    /// </summary>
    /// <remarks>
    /// The predicted labels are read from <paramref name="predictedLabelColumnName"/> when the data has that column (it
    /// must be Boolean); otherwise they are <c>score &gt; 0</c>, the threshold ML.NET applies to raw scores. (ML.NET's
    /// evaluator always recomputes <c>score &gt; 0</c> and ignores the column; the two agree for every trainer here,
    /// and reading the column respects a model whose threshold was moved.) Rows with a NaN or infinite score, or a
    /// missing label, are skipped.
    /// </remarks>
    /// <param name="data">The scored data.</param>
    /// <param name="labelColumnName">The label column: Boolean, or Single/Double (positive when greater than 0, NaN skipped).</param>
    /// <param name="scoreColumnName">The score column: Single, higher = more positive.</param>
    /// <param name="predictedLabelColumnName">The predicted label column (Boolean); when absent, <c>score &gt; 0</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type.</exception>
    public BinaryClassificationMetrics EvaluateNonCalibrated(IDataView data, string labelColumnName = DefaultColumnNames.Label,
        string scoreColumnName = DefaultColumnNames.Score, string predictedLabelColumnName = DefaultColumnNames.PredictedLabel)
    {
        var rows = EvaluationData.ReadBinary(data, labelColumnName, scoreColumnName, null, predictedLabelColumnName);
        return BinaryClassificationEvaluation.Evaluate(rows.Labels, rows.Scores, rows.PredictedLabels);
    }
}

public sealed partial class RegressionCatalog
{
    /// <summary>Evaluates scored regression data: absolute, squared and root-mean-squared errors and R². Rows with a NaN label or score are skipped.</summary>
    /// <param name="data">The scored data.</param>
    /// <param name="labelColumnName">The label column: Single.</param>
    /// <param name="scoreColumnName">The score column: Single.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type.</exception>
    public RegressionMetrics Evaluate(IDataView data, string labelColumnName = DefaultColumnNames.Label, string scoreColumnName = DefaultColumnNames.Score)
    {
        var (labels, scores) = EvaluationData.ReadRegression(data, labelColumnName, scoreColumnName);
        return RegressionEvaluation.Evaluate(labels, scores);
    }
}
