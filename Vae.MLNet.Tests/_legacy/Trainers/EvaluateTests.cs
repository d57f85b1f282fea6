using Vae.MLNet.Data;

namespace Vae.MLNet.Tests.Trainers;

/// <summary>The catalogs' Evaluate methods read the columns and agree with the metric calculators on the same arrays.</summary>
[TestClass]
public sealed class EvaluateTests
{
    private sealed class ScoredBinary
    {
        public bool Label { get; set; }

        public float Score { get; set; }

        public float Probability { get; set; }

        public bool PredictedLabel { get; set; }
    }

    private sealed class AnomalyScore
    {
        public float Label { get; set; }

        public float Score { get; set; }
    }

    private sealed class ScoredClasses
    {
        [KeyType(3)]
        public uint Label { get; set; }

        [VectorType(3)]
        public float[] Score { get; set; } = [];
    }

    private sealed class ScoredValues
    {
        public float Label { get; set; }

        public float Score { get; set; }
    }

    /// <summary>Every public double property is equal (NaN equals NaN), and so are the confusion tables.</summary>
    private static void AssertSameMetrics(object expected, object actual)
    {
        Assert.AreEqual(expected.GetType(), actual.GetType());
        foreach (var property in expected.GetType().GetProperties().Where(p => p.PropertyType == typeof(double)))
            Assert.AreEqual((double)property.GetValue(expected)!, (double)property.GetValue(actual)!, property.Name);
        var table = expected.GetType().GetProperty("ConfusionMatrix")!;
        Assert.AreEqual(((ConfusionMatrix)table.GetValue(expected)!).GetFormattedConfusionTable(), ((ConfusionMatrix)table.GetValue(actual)!).GetFormattedConfusionTable());
    }

    private static ScoredBinary[] BinaryRows()
    {
        var random = new Random(4);
        return Enumerable.Range(0, 200).Select(_ =>
        {
            bool label = random.NextDouble() < 0.4;
            float score = (float)((label ? 0.8 : -0.5) + TestData.Gaussian(random));
            // A threshold other than 0 for the predicted labels, so using the column is visible.
            return new ScoredBinary { Label = label, Score = score, Probability = 1 / (1 + MathF.Exp(-score)), PredictedLabel = score > 0.5f };
        }).ToArray();
    }

    [TestMethod]
    public void BinaryEvaluateMatchesTheCalculator()
    {
        var rows = BinaryRows();
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(rows);
        bool[] labels = rows.Select(r => r.Label).ToArray(), predicted = rows.Select(r => r.PredictedLabel).ToArray();
        float[] scores = rows.Select(r => r.Score).ToArray(), probabilities = rows.Select(r => r.Probability).ToArray();

        AssertSameMetrics(BinaryClassificationEvaluation.EvaluateCalibrated(labels, scores, probabilities, predicted), ml.BinaryClassification.Evaluate(data));
        AssertSameMetrics(BinaryClassificationEvaluation.Evaluate(labels, scores, predicted), ml.BinaryClassification.EvaluateNonCalibrated(data));
        var thresholdAtZero = ml.BinaryClassification.EvaluateNonCalibrated(data, predictedLabelColumnName: "NoSuchColumn");
        AssertSameMetrics(BinaryClassificationEvaluation.Evaluate(labels, scores), thresholdAtZero);
        Assert.AreNotEqual(ml.BinaryClassification.EvaluateNonCalibrated(data).Accuracy, thresholdAtZero.Accuracy, "the predicted label column is read when present");
    }

    [TestMethod]
    public void RawScoresWithoutPredictedLabelsAreThresholdedAtZero()
    {
        // An anomaly score: higher = more likely positive; Single labels, one of them missing.
        var ml = new MLContext();
        var rows = new[]
        {
            new AnomalyScore { Label = 1, Score = 3.5f },
            new AnomalyScore { Label = 0, Score = -0.2f },
            new AnomalyScore { Label = 1, Score = 0.7f },
            new AnomalyScore { Label = 0, Score = 1.2f },
            new AnomalyScore { Label = float.NaN, Score = 9f },
            new AnomalyScore { Label = 0, Score = -3f },
            new AnomalyScore { Label = 1, Score = -1f },
        };
        var metrics = ml.BinaryClassification.EvaluateNonCalibrated(ml.Data.LoadFromEnumerable(rows));
        var kept = rows.Where(r => !float.IsNaN(r.Label)).ToArray();
        AssertSameMetrics(BinaryClassificationEvaluation.Evaluate(kept.Select(r => r.Label > 0).ToArray(), kept.Select(r => r.Score).ToArray()), metrics);
        Assert.AreEqual(4.0 / 6, metrics.Accuracy, 1e-12, "score > 0 is positive: 2 true positives, 2 true negatives of 6");
        Assert.AreEqual(6.0 / 9, metrics.AreaUnderRocCurve, 1e-12, "6 of the 9 positive-negative pairs are ranked right");
    }

    [TestMethod]
    public void MulticlassEvaluateMatchesTheCalculatorAndSkipsMissingKeys()
    {
        var random = new Random(5);
        var rows = Enumerable.Range(0, 90).Select(i =>
        {
            var logits = Enumerable.Range(0, 3).Select(c => (c == i % 3 ? 1.5 : 0) + TestData.Gaussian(random)).ToArray();
            double sum = logits.Sum(Math.Exp);
            return new ScoredClasses { Label = i % 10 == 9 ? 0u : (uint)(i % 3 + 1), Score = logits.Select(z => (float)(Math.Exp(z) / sum)).ToArray() };
        }).ToArray();
        var ml = new MLContext();
        var metrics = ml.MulticlassClassification.Evaluate(ml.Data.LoadFromEnumerable(rows), topKPredictionCount: 2);
        var expected = MulticlassClassificationEvaluation.Evaluate(
            rows.Select(r => (int)r.Label - 1).ToArray(), rows.SelectMany(r => r.Score).ToArray(), 3, topKPredictionCount: 2);
        AssertSameMetrics(expected, metrics);
        CollectionAssert.AreEqual(expected.TopKAccuracyForAllK.ToArray(), metrics.TopKAccuracyForAllK.ToArray());
        CollectionAssert.AreEqual(expected.PerClassLogLoss.ToArray(), metrics.PerClassLogLoss.ToArray());
        Assert.AreEqual(81, metrics.ConfusionMatrix.Counts.Sum(row => row.Sum()), "the 9 rows with key 0 are skipped");
    }

    [TestMethod]
    public void RegressionEvaluateMatchesTheCalculator()
    {
        var random = new Random(6);
        var rows = Enumerable.Range(0, 50).Select(_ =>
        {
            float label = (float)(5 * TestData.Gaussian(random));
            return new ScoredValues { Label = label, Score = label + (float)TestData.Gaussian(random) };
        }).Append(new ScoredValues { Label = float.NaN, Score = 1 }).ToArray();
        var ml = new MLContext();
        AssertRegression(RegressionEvaluation.Evaluate(rows.Select(r => r.Label).ToArray(), rows.Select(r => r.Score).ToArray()),
            ml.Regression.Evaluate(ml.Data.LoadFromEnumerable(rows)));
    }

    private static void AssertRegression(RegressionMetrics expected, RegressionMetrics actual)
    {
        foreach (var property in typeof(RegressionMetrics).GetProperties())
            Assert.AreEqual((double)property.GetValue(expected)!, (double)property.GetValue(actual)!, property.Name);
        Assert.IsTrue(actual.RSquared is > 0.9 and < 1);
    }

    [TestMethod]
    public void EvaluateRejectsMissingAndMistypedColumns()
    {
        var ml = new MLContext();
        var binary = ml.Data.LoadFromEnumerable(BinaryRows());
        var classes = ml.Data.LoadFromEnumerable(new[] { new ScoredClasses { Label = 1, Score = [1, 0, 0] } });
        var values = ml.Data.LoadFromEnumerable(new[] { new ScoredValues { Label = 1, Score = 1 } });
        (Action Call, string[] Fragments)[] cases =
        [
            (() => ml.BinaryClassification.Evaluate(binary, scoreColumnName: "Nope"), ["score column 'Nope'"]),
            (() => ml.BinaryClassification.Evaluate(binary, probabilityColumnName: "Label"), ["probability column 'Label'", "expected Single", "Boolean"]),
            (() => ml.BinaryClassification.EvaluateNonCalibrated(binary, predictedLabelColumnName: "Score"), ["predicted label column 'Score'", "expected Boolean"]),
            (() => ml.BinaryClassification.EvaluateNonCalibrated(binary, scoreColumnName: "PredictedLabel"), ["score column 'PredictedLabel'", "expected Single", "Boolean"]),
            (() => ml.BinaryClassification.EvaluateNonCalibrated(classes), ["label column 'Label'", "Boolean, Single or Double", "Key"]),
            (() => ml.MulticlassClassification.Evaluate(values), ["score column 'Score'", "vector of Single"]),
            (() => ml.MulticlassClassification.Evaluate(binary), ["label column 'Label'", "key of UInt32"]),
            (() => ml.Regression.Evaluate(binary), ["label column 'Label'", "expected Single", "Boolean"]),
            (() => ml.Regression.Evaluate(values, scoreColumnName: "Prediction"), ["score column 'Prediction'"]),
        ];
        foreach (var (call, fragments) in cases)
        {
            var error = Assert.ThrowsException<ArgumentOutOfRangeException>(call);
            foreach (string fragment in fragments)
                StringAssert.Contains(error.Message, fragment);
        }
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Evaluate(classes, topKPredictionCount: 4));
    }
}
