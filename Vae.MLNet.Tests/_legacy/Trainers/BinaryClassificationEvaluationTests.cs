using Vae.MLNet.Data;

namespace Vae.MLNet.Tests.Trainers;

[TestClass]
public sealed class BinaryClassificationEvaluationTests
{
    // Ties at 1 and 0.5 each pair a positive with a negative. Predicted labels are score > 0:
    // TP = 3, FN = 1, FP = 2, TN = 2.
    private static readonly bool[] Labels = [true, true, false, true, false, false, true, false];
    private static readonly float[] Scores = [3, 1, 1, 0.5f, 0.5f, -1, -2, -3];

    [TestMethod]
    public void CountsAndRatesMatchHandComputation()
    {
        var metrics = BinaryClassificationEvaluation.Evaluate(Labels, Scores);

        Assert.AreEqual(5.0 / 8, metrics.Accuracy, 1e-12);
        Assert.AreEqual(3.0 / 5, metrics.PositivePrecision, 1e-12);
        Assert.AreEqual(3.0 / 4, metrics.PositiveRecall, 1e-12);
        Assert.AreEqual(2.0 / 3, metrics.NegativePrecision, 1e-12);
        Assert.AreEqual(2.0 / 4, metrics.NegativeRecall, 1e-12);
        Assert.AreEqual(2 * 0.6 * 0.75 / (0.6 + 0.75), metrics.F1Score, 1e-12);
    }

    [TestMethod]
    public void AucCountsTiesAsHalf()
    {
        // Of 16 positive-negative pairs: 4 + (3 + tie) + (2 + tie) + 1 = 11 wins, so (10 + 2 * 0.5) / 16.
        var metrics = BinaryClassificationEvaluation.Evaluate(Labels, Scores);
        Assert.AreEqual(11.0 / 16, metrics.AreaUnderRocCurve, 1e-12);
    }

    [TestMethod]
    public void AucIgnoresRowOrderWithinTies()
    {
        int[] permutation = [7, 2, 4, 1, 0, 6, 3, 5];
        var shuffled = BinaryClassificationEvaluation.Evaluate(
            permutation.Select(i => Labels[i]).ToArray(), permutation.Select(i => Scores[i]).ToArray());
        Assert.AreEqual(11.0 / 16, shuffled.AreaUnderRocCurve, 1e-12);
        Assert.AreEqual(1261.0 / 1680, shuffled.AreaUnderPrecisionRecallCurve, 1e-12);
    }

    [TestMethod]
    public void AuprcIsTheLowerTrapezoidOverTieGroups()
    {
        // Steps (recall, precision): (1/4, 1), (2/4, 2/3), (3/4, 3/5), then a negative drops precision to 1/2,
        // then (1, 4/7): 1/4 * [1 + (1 + 2/3)/2 + (2/3 + 3/5)/2 + (1/2 + 4/7)/2] = 1261/1680.
        var metrics = BinaryClassificationEvaluation.Evaluate(Labels, Scores);
        Assert.AreEqual(1261.0 / 1680, metrics.AreaUnderPrecisionRecallCurve, 1e-12);
    }

    [TestMethod]
    public void WeightsScaleCountsAndPairs()
    {
        var weights = new float[] { 2, 1, 1, 1, 1, 1, 1, 1 };
        var metrics = BinaryClassificationEvaluation.Evaluate(Labels, Scores, weights: weights);
        // Row 0 counts twice: TP 4 of 9; its pairs count twice: (11 + 4) / (5 * 4).
        Assert.AreEqual(6.0 / 9, metrics.Accuracy, 1e-12);
        Assert.AreEqual(15.0 / 20, metrics.AreaUnderRocCurve, 1e-12);
    }

    [TestMethod]
    public void ExplicitPredictedLabelsOverrideTheScoreThreshold()
    {
        var predicted = Scores.Select(s => s > 2).ToArray();
        var metrics = BinaryClassificationEvaluation.Evaluate(Labels, Scores, predicted);
        Assert.AreEqual(1.0 / 4, metrics.PositiveRecall, 1e-12);
        Assert.AreEqual(11.0 / 16, metrics.AreaUnderRocCurve, 1e-12, "AUC depends on scores only");
    }

    [TestMethod]
    public void CalibratedMetricsUseBitsRelativeToThePrior()
    {
        var probabilities = Scores.Select(s => (float)(1 / (1 + Math.Exp(-s)))).ToArray();
        var metrics = BinaryClassificationEvaluation.EvaluateCalibrated(Labels, Scores, probabilities);

        // Reference: mean of -log2(p_true) over the 8 rows, computed in Python; the prior is 1/2 so entropy is 1 bit.
        Assert.AreEqual(1.0120580993656645, metrics.LogLoss, 1e-6);
        Assert.AreEqual(1.0, metrics.Entropy, 1e-12);
        Assert.AreEqual(-0.012058099365664487, metrics.LogLossReduction, 1e-6);
        Assert.AreEqual(11.0 / 16, metrics.AreaUnderRocCurve, 1e-12);
    }

    [TestMethod]
    public void PerfectProbabilitiesGiveFullReduction()
    {
        bool[] labels = [true, false, false, false];
        var metrics = BinaryClassificationEvaluation.EvaluateCalibrated(labels, [1, -1, -1, -1], [1, 0, 0, 0]);
        Assert.AreEqual(0, metrics.LogLoss, 1e-12);
        Assert.AreEqual(-(0.25 * Math.Log2(0.25) + 0.75 * Math.Log2(0.75)), metrics.Entropy, 1e-12);
        Assert.AreEqual(1, metrics.LogLossReduction, 1e-12);
    }

    [TestMethod]
    public void ConfusionTableTextIsLaidOutLikeMlNet()
    {
        var text = BinaryClassificationEvaluation.Evaluate(Labels, Scores).ConfusionMatrix.GetFormattedConfusionTable();
        string expected = string.Join(Environment.NewLine,
            "TEST POSITIVE RATIO:\t0.5000 (4.0/(4.0+4.0))",
            "Confusion table",
            "          ||======================",
            "PREDICTED || positive | negative | Recall",
            "TRUTH     ||======================",
            " positive ||        3 |        1 | 0.7500",
            " negative ||        2 |        2 | 0.5000",
            "          ||======================",
            "Precision ||   0.6000 |   0.6667 |",
            "");
        Assert.AreEqual(expected, text);
    }

    [TestMethod]
    public void NonFiniteScoresAreSkipped()
    {
        var metrics = BinaryClassificationEvaluation.Evaluate([true, false, true], [1, float.NaN, float.PositiveInfinity]);
        Assert.AreEqual(1, metrics.Accuracy, 1e-12);
        Assert.AreEqual(1, metrics.ConfusionMatrix.Counts.Sum(row => row.Sum()), 1e-12);
    }

    [TestMethod]
    public void MismatchedLengthsAreRejected()
    {
        var error = Assert.ThrowsException<ArgumentException>(() => BinaryClassificationEvaluation.Evaluate([true, false], [1f]));
        StringAssert.Contains(error.Message, "2 labels, 1 scores");
    }
}
