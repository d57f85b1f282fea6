using Vae.MLNet.Data;

namespace Vae.MLNet.Tests.Trainers;

[TestClass]
public sealed class MulticlassAndRegressionEvaluationTests
{
    // 7 rows over 3 classes; the true class ranks 0, 1, 0, 1, 0, 2, 0 and the predictions give
    // the confusion rows [1 1 0], [1 1 0], [1 0 2].
    private static readonly int[] Labels = [0, 0, 1, 1, 2, 2, 2];

    private static readonly float[] Scores =
    [
        0.7f, 0.2f, 0.1f,
        0.3f, 0.4f, 0.3f,
        0.1f, 0.8f, 0.1f,
        0.5f, 0.25f, 0.25f,
        0.2f, 0.2f, 0.6f,
        0.6f, 0.3f, 0.1f,
        0.1f, 0.1f, 0.8f,
    ];

    [TestMethod]
    public void AccuraciesAndTopKMatchHandComputation()
    {
        var metrics = MulticlassClassificationEvaluation.Evaluate(Labels, Scores, 3, topKPredictionCount: 2);

        Assert.AreEqual(4.0 / 7, metrics.MicroAccuracy, 1e-12);
        Assert.AreEqual((0.5 + 0.5 + 2.0 / 3) / 3, metrics.MacroAccuracy, 1e-12);
        Assert.AreEqual(6.0 / 7, metrics.TopKAccuracy, 1e-12);
        CollectionAssert.AreEqual(new[] { 4.0 / 7, 6.0 / 7, 1.0 }, metrics.TopKAccuracyForAllK.ToArray(), new Tolerance(1e-12));
        Assert.AreEqual(0, MulticlassClassificationEvaluation.Evaluate(Labels, Scores, 3).TopKAccuracy);
    }

    [TestMethod]
    public void LogLossesAndReductionMatchReference()
    {
        var metrics = MulticlassClassificationEvaluation.Evaluate(Labels, Scores, 3);

        // Python: mean of -ln(p_true); label entropy of shares 2/7, 2/7, 3/7 in nats.
        Assert.AreEqual(0.8866628469675735, metrics.LogLoss, 1e-6);
        Assert.AreEqual(0.17824907307563292, metrics.LogLossReduction, 1e-6);
        CollectionAssert.AreEqual(
            new[] { 0.7803238741323343, 0.8047189562170501, 1.0121847560247488 },
            metrics.PerClassLogLoss.ToArray(), new Tolerance(1e-6));
    }

    [TestMethod]
    public void LogLossClipsZeroProbabilityAndPenalizesUnknownClasses()
    {
        var metrics = MulticlassClassificationEvaluation.Evaluate([0, 5], [0f, 1f, 0.5f, 0.5f], 2);
        Assert.AreEqual(-Math.Log(1e-15), metrics.LogLoss, 1e-9, "both rows cost -ln(1e-15)");
        Assert.AreEqual(0, metrics.ConfusionMatrix.Counts[0].Sum() + metrics.ConfusionMatrix.Counts[1].Sum() - 1, 1e-12);
    }

    [TestMethod]
    public void ConfusionMatrixHasPrecisionRecallAndText()
    {
        var matrix = MulticlassClassificationEvaluation.Evaluate(Labels, Scores, 3).ConfusionMatrix;

        Assert.AreEqual(3, matrix.NumberOfClasses);
        CollectionAssert.AreEqual(new[] { 1.0 / 3, 0.5, 1.0 }, matrix.PerClassPrecision.ToArray(), new Tolerance(1e-12));
        CollectionAssert.AreEqual(new[] { 0.5, 0.5, 2.0 / 3 }, matrix.PerClassRecall.ToArray(), new Tolerance(1e-12));
        Assert.AreEqual(2, matrix.GetCountForClassPair(predictedClassIndicatorIndex: 2, actualClassIndicatorIndex: 2));
        Assert.AreEqual(1, matrix.GetCountForClassPair(predictedClassIndicatorIndex: 0, actualClassIndicatorIndex: 2));
        string expected = string.Join(Environment.NewLine,
            "Confusion table",
            "          ||========================",
            "PREDICTED ||     0 |     1 |     2 | Recall",
            "TRUTH     ||========================",
            "        0 ||     1 |     1 |     0 | 0.5000",
            "        1 ||     1 |     1 |     0 | 0.5000",
            "        2 ||     1 |     0 |     2 | 0.6667",
            "          ||========================",
            "Precision ||0.3333 |0.5000 |1.0000 |",
            "");
        Assert.AreEqual(expected, matrix.GetFormattedConfusionTable());
    }

    [TestMethod]
    public void RegressionMetricsMatchHandComputation()
    {
        // Residuals -0.5, 0.5, -0.5, 1; labels have mean 2.5 and total sum of squares 5.
        var metrics = RegressionEvaluation.Evaluate([1, 2, 3, 4], [1.5f, 1.5f, 3.5f, 3]);

        Assert.AreEqual(0.625, metrics.MeanAbsoluteError, 1e-12);
        Assert.AreEqual(0.4375, metrics.MeanSquaredError, 1e-12);
        Assert.AreEqual(Math.Sqrt(0.4375), metrics.RootMeanSquaredError, 1e-12);
        Assert.AreEqual(0.4375, metrics.LossFunction, 1e-12);
        Assert.AreEqual(1 - 1.75 / 5, metrics.RSquared, 1e-12);
    }

    [TestMethod]
    public void RegressionRSquaredIsNegativeForAModelWorseThanTheMean()
    {
        var metrics = RegressionEvaluation.Evaluate([1, 2, 3], [3, 2, 1]);
        Assert.AreEqual(1 - 8.0 / 2, metrics.RSquared, 1e-12);
    }

    private sealed class Tolerance(double epsilon) : System.Collections.IComparer
    {
        public int Compare(object? x, object? y) => Math.Abs((double)x! - (double)y!) <= epsilon ? 0 : 1;
    }
}
