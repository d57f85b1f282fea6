using Vae.MLNet.Calibrators;
using Vae.MLNet.Data;
using Vae.MLNet.Trainers;

namespace Vae.MLNet.Tests.Trainers;

/// <summary>Each trainer fitted through a pipeline on generated data, checked on held-out rows.</summary>
[TestClass]
public sealed class TrainerPipelineTests
{
    [TestMethod]
    public void ACursorThatWantsNoScoreColumnDoesNotReadTheFeatures()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TrainerRows.Binary(seed: 1, count: 100));
        var scored = ml.BinaryClassification.Trainers.LbfgsLogisticRegression().Fit(data).Transform(data);
        using var cursor = scored.GetRowCursor([scored.Schema["Label"]]);
        int rows = 0;
        while (cursor.MoveNext()) rows++;
        Assert.AreEqual(100, rows);
    }

    [TestMethod]
    public void LogisticRegressionTrainersClassifyHeldOutRows()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(TrainerRows.Binary(seed: 1, count: 400));
        var test = ml.Data.LoadFromEnumerable(TrainerRows.Binary(seed: 2, count: 400));
        IEstimator<BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>>>[] trainers =
            [ml.BinaryClassification.Trainers.LbfgsLogisticRegression(), ml.BinaryClassification.Trainers.SdcaLogisticRegression()];
        foreach (var trainer in trainers)
        {
            var model = trainer.Fit(train);
            var scored = model.Transform(test);
            var metrics = ml.BinaryClassification.Evaluate(scored);
            string name = trainer.GetType().Name;
            Assert.IsTrue(metrics.Accuracy > 0.85, $"{name}: accuracy {metrics.Accuracy}");
            Assert.IsTrue(metrics.AreaUnderRocCurve > 0.93, $"{name}: AUC {metrics.AreaUnderRocCurve}");
            Assert.IsTrue(metrics.LogLossReduction > 0.4, $"{name}: log-loss reduction {metrics.LogLossReduction}");

            // The learned direction is the generating one (2, -1, 0.5), up to scale.
            var w = model.Model.SubModel.Weights;
            Assert.IsTrue(w[0] > 0 && w[1] < 0 && w[2] > 0 && w[0] > -w[1] && -w[1] > w[2], $"{name}: weights {string.Join(", ", w)}");
            Assert.AreEqual(-1, model.Model.Calibrator.Slope);

            var scores = TrainerRows.Floats(scored, "Score");
            var probabilities = TrainerRows.Floats(scored, "Probability");
            var predicted = TrainerRows.Bools(scored, "PredictedLabel");
            for (int i = 0; i < scores.Length; i++)
            {
                Assert.AreEqual(1 / (1 + Math.Exp(-scores[i])), probabilities[i], 1e-6, $"{name}: probability = sigmoid(score)");
                Assert.AreEqual(scores[i] > 0, predicted[i]);
            }
        }
    }

    [TestMethod]
    public void RegressionTrainersFitHeldOutRows()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(TrainerRows.Regression(seed: 1, count: 300));
        var test = ml.Data.LoadFromEnumerable(TrainerRows.Regression(seed: 2, count: 300));
        var sdca = ml.Regression.Trainers.Sdca().Fit(train);
        var ols = ml.Regression.Trainers.Ols().Fit(train);
        foreach (var (name, model) in new (string, ITransformer)[] { ("SDCA", sdca), ("OLS", ols) })
        {
            var metrics = ml.Regression.Evaluate(model.Transform(test));
            Assert.IsTrue(metrics.RSquared > 0.99, $"{name}: R² {metrics.RSquared}");
            Assert.IsTrue(metrics.RootMeanSquaredError < 0.15, $"{name}: RMSE {metrics.RootMeanSquaredError}");
        }
        CollectionAssert.AreEqual(new[] { 1.5, -2, 0.5 }, ols.Model.Weights.Select(w => Math.Round(w * 10) / 10).ToArray());
        Assert.AreEqual(3, ols.Model.Bias, 0.05);
        Assert.IsTrue(ols.Model.HasStatistics);
        Assert.AreEqual(4, ols.Model.PValues!.Count, "bias and three weights");
        Assert.IsTrue(ols.Model.PValues.All(p => p < 1e-6), "every coefficient is significant");
        Assert.IsTrue(ols.Model.RSquared > 0.99 && ols.Model.RSquaredAdjusted <= ols.Model.RSquared);
    }

    [TestMethod]
    public void MulticlassTrainersPredictOriginalLabelsThroughKeyMapping()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(TrainerRows.Classes(seed: 1, perClass: 60));
        var test = ml.Data.LoadFromEnumerable(TrainerRows.Classes(seed: 2, perClass: 60));
        IEstimator<MulticlassPredictionTransformer<MaximumEntropyModelParameters>>[] trainers =
            [ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(), ml.MulticlassClassification.Trainers.SdcaMaximumEntropy()];
        foreach (var trainer in trainers)
        {
            var model = ml.Transforms.Conversion.MapValueToKey("Label").Append(trainer)
                .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel")).Fit(train);
            var scored = model.Transform(test);
            var metrics = ml.MulticlassClassification.Evaluate(scored, topKPredictionCount: 2);
            string name = trainer.GetType().Name;
            Assert.IsTrue(metrics.MicroAccuracy > 0.95, $"{name}: accuracy {metrics.MicroAccuracy}");
            Assert.IsTrue(metrics.TopKAccuracy >= metrics.MicroAccuracy);
            CollectionAssert.AreEqual(new[] { "a", "b", "c" }, Enumerable.Range(0, 3).Select(c => ConfusionName(metrics, c)).ToArray());

            var predicted = scored.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(v => v.ToString()).ToArray();
            var truth = TrainerRows.Classes(seed: 2, perClass: 60).Select(r => r.Label).ToArray();
            Assert.IsTrue(predicted.Zip(truth).Count(p => p.First == p.Second) > 0.95 * truth.Length, name);
            foreach (var probabilities in TrainerRows.Vectors(scored, "Score"))
                Assert.AreEqual(1, probabilities.Sum(), 1e-5, $"{name}: scores are probabilities");
        }
    }

    private static string ConfusionName(MulticlassClassificationMetrics metrics, int c) =>
        metrics.ConfusionMatrix.GetFormattedConfusionTable().Split('\n').Skip(2).First().Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[c + 1];

    [TestMethod]
    public void SdcaAndLbfgsReachTheSameLogisticModel()
    {
        // The same objective: L-BFGS sums the losses (L2 = 2), SDCA averages them (L2 = 2 / n), both with a free bias.
        var ml = new MLContext(seed: 3);
        var rows = TrainerRows.Binary(seed: 5, count: 200);
        var data = ml.Data.LoadFromEnumerable(rows);
        var lbfgs = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(l1Regularization: 0, l2Regularization: 2, optimizationTolerance: 1e-10f).Fit(data);
        var sdca = ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options
        {
            L2Regularization = 2f / rows.Length,
            L1Regularization = 0,
            BiasLearningRate = 1,
            ConvergenceTolerance = 1e-6f,
            MaximumNumberOfIterations = 2000,
        }).Fit(data);
        Data.TestData.AreClose(TrainerRows.Floats(lbfgs.Transform(data), "Probability"), TrainerRows.Floats(sdca.Transform(data), "Probability"), 2e-3f);
    }

    [TestMethod]
    public void SdcaAndLbfgsReachTheSameMaximumEntropyModel()
    {
        var ml = new MLContext(seed: 3);
        var rows = TrainerRows.Classes(seed: 5, perClass: 40);
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));
        var lbfgs = ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(l1Regularization: 0, l2Regularization: 3, optimizationTolerance: 1e-10f).Fit(data);
        var sdca = ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
        {
            L2Regularization = 3f / rows.Length,
            L1Regularization = 0,
            BiasLearningRate = 1,
            ConvergenceTolerance = 1e-6f,
            MaximumNumberOfIterations = 2000,
        }).Fit(data);
        var expected = TrainerRows.Vectors(lbfgs.Transform(data), "Score");
        var actual = TrainerRows.Vectors(sdca.Transform(data), "Score");
        for (int i = 0; i < expected.Length; i++)
            Data.TestData.AreClose(expected[i], actual[i], 2e-3f);
        CollectionAssert.AreEqual(lbfgs.Transform(data).GetColumn<uint>("PredictedLabel").ToArray(), sdca.Transform(data).GetColumn<uint>("PredictedLabel").ToArray());
    }

    [TestMethod]
    public void SdcaRegressionApproachesOrdinaryLeastSquares()
    {
        var ml = new MLContext(seed: 3);
        var data = ml.Data.LoadFromEnumerable(TrainerRows.Regression(seed: 4, count: 200));
        var ols = ml.Regression.Trainers.Ols(new OlsTrainer.Options { L2Regularization = 0 }).Fit(data);
        var sdca = ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options { L2Regularization = 1e-6f, ConvergenceTolerance = 1e-6f, MaximumNumberOfIterations = 1000 }).Fit(data);
        Data.TestData.AreClose(ols.Model.Weights.ToArray(), sdca.Model.Weights.ToArray(), 1e-2f);
        Assert.AreEqual(ols.Model.Bias, sdca.Model.Bias, 1e-2);
    }

    [TestMethod]
    public void SdcaShufflesRepeatablyAndWarnsWhenTheDataCannotShuffle()
    {
        var rows = TrainerRows.Binary(seed: 6, count: 150);
        float[] Weights(IDataView data, MLContext ml) =>
            ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 5).Fit(data).Model.SubModel.Weights.ToArray();
        var first = new MLContext(seed: 8);
        var second = new MLContext(seed: 8);
        CollectionAssert.AreEqual(Weights(first.Data.LoadFromEnumerable(rows), first), Weights(second.Data.LoadFromEnumerable(rows), second));
        var other = new MLContext(seed: 9);
        CollectionAssert.AreNotEqual(Weights(first.Data.LoadFromEnumerable(rows), first), Weights(other.Data.LoadFromEnumerable(rows), other), "the order depends on the seed");

        var warnings = new List<string>();
        var ml = new MLContext(seed: 8);
        ml.Log += (_, e) =>
        {
            if (e.Kind == ChannelMessageKind.Warning)
                warnings.Add(e.RawMessage);
        };
        var stream = ml.Data.LoadFromEnumerable(rows.Select(r => r)); // not a list: cannot shuffle
        Assert.IsFalse(stream.CanShuffle);
        var model = ml.BinaryClassification.Trainers.SdcaLogisticRegression().Fit(stream);
        Assert.IsTrue(ml.BinaryClassification.Evaluate(model.Transform(stream)).Accuracy > 0.85);
        StringAssert.Contains(warnings.Single(), "cannot be shuffled");
    }
}
