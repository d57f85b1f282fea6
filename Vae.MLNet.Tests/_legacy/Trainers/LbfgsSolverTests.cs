using Vae.MLNet.Trainers;

namespace Vae.MLNet.Tests.Trainers;

[TestClass]
public sealed class LbfgsSolverTests
{
    private static readonly double[] TrueWeights = [1.5, -2, 0.5];

    [TestMethod]
    public void BinaryL2MatchesNewtonSolution()
    {
        var random = new Random(1);
        var x = TestData.GaussianRows(random, 80, 3);
        var y = TestData.LogisticLabels(random, x, TrueWeights, 0.3);
        var options = new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            L1Regularization = 0,
            L2Regularization = 2,
            OptimizationTolerance = 1e-12f,
        };

        var (model, summary) = LbfgsSolver.TrainBinary(TestData.Rows(x, y), options);

        var reference = LogisticReference.NewtonBinary(x, y, 2);
        Assert.AreEqual(reference[0], model.Bias, 1e-4, $"bias; {summary}");
        for (int j = 0; j < 3; j++)
            Assert.AreEqual(reference[j + 1], model.Weights[j], 1e-4, $"weight {j}; {summary}");
        Assert.AreEqual(reference[0] + TestData.Dot(x[0], reference[1..]), model.Score(x[0]), 1e-4, "score of row 0");
    }

    [TestMethod]
    public void BinaryObjectiveIsAveragedOverExampleWeights()
    {
        // Doubling every example weight must not change the optimum: the loss is divided by the weight sum,
        // so only the L2 term's relative strength could change, and ML.NET divides it by the same sum.
        var random = new Random(2);
        var x = TestData.GaussianRows(random, 50, 3);
        var y = TestData.LogisticLabels(random, x, TrueWeights, 0);
        var options = new LbfgsLogisticRegressionBinaryTrainer.Options { L1Regularization = 0, OptimizationTolerance = 1e-12f };

        var weighted = LbfgsSolver.TrainBinary(TestData.Rows(x, y, Enumerable.Repeat(2f, 50).ToArray()), options).Model;

        // With weights 2 the objective is (2 sum l + L2/2 |w|^2) / 100: the optimum of sum l + (L2/2)/2 |w|^2.
        var reference = LogisticReference.NewtonBinary(x, y, options.L2Regularization / 2);
        for (int j = 0; j < 3; j++)
            Assert.AreEqual(reference[j + 1], weighted.Weights[j], 1e-4, $"weight {j}");
    }

    [TestMethod]
    public void LargeL1ZeroesWeightsAndSatisfiesKkt()
    {
        var random = new Random(3);
        var x = TestData.GaussianRows(random, 200, 10);
        var w = new double[10];
        TrueWeights.CopyTo(w, 0);
        var y = TestData.LogisticLabels(random, x, w, -0.5);
        const double l1 = 25, l2 = 0.5;
        var options = new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            L1Regularization = (float)l1,
            L2Regularization = (float)l2,
            OptimizationTolerance = 1e-12f,
        };

        var (model, summary) = LbfgsSolver.TrainBinary(TestData.Rows(x, y), options);

        int zeros = model.Weights.Count(v => v == 0);
        Assert.IsTrue(zeros >= 5, $"expected most of the 7 noise weights at exactly zero, got {zeros} zeros; {summary}");
        Assert.AreNotEqual(0f, model.Weights[0], "the strongest feature must survive");
        Assert.AreEqual(10 - zeros, summary.NonZeroWeights);

        // KKT for sum l + l2/2 |w|^2 + l1 |w|_1: zero bias gradient; g_j = -l1 sign(w_j) when w_j != 0, |g_j| <= l1 otherwise.
        var theta = new double[11];
        theta[0] = model.Bias;
        for (int j = 0; j < 10; j++)
            theta[j + 1] = model.Weights[j];
        var g = LogisticReference.Gradient(x, y, theta, l2);
        const double slack = 1e-3;
        Assert.AreEqual(0, g[0], slack, "bias gradient");
        for (int j = 0; j < 10; j++)
        {
            if (model.Weights[j] == 0)
                Assert.IsTrue(Math.Abs(g[j + 1]) <= l1 + slack, $"|g_{j}| = {Math.Abs(g[j + 1])} exceeds l1 at a zero weight");
            else
                Assert.AreEqual(-l1 * Math.Sign(model.Weights[j]), g[j + 1], slack, $"stationarity of weight {j}");
        }
    }

    [TestMethod]
    public void NonNegativityKeepsWeightsNonNegativeAndOptimal()
    {
        var random = new Random(4);
        var x = TestData.GaussianRows(random, 150, 3);
        var y = TestData.LogisticLabels(random, x, TrueWeights, 0);
        var options = new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            L1Regularization = 0,
            EnforceNonNegativity = true,
            OptimizationTolerance = 1e-12f,
        };

        var model = LbfgsSolver.TrainBinary(TestData.Rows(x, y), options).Model;

        Assert.IsTrue(model.Weights.All(v => v >= 0), string.Join(", ", model.Weights));
        Assert.AreEqual(0f, model.Weights[1], "the negative true weight is clamped to zero");
        var theta = new double[] { model.Bias, model.Weights[0], model.Weights[1], model.Weights[2] };
        var g = LogisticReference.Gradient(x, y, theta, options.L2Regularization);
        Assert.IsTrue(g[2] >= -1e-3, $"at the bound the gradient must push outwards; got {g[2]}");
        Assert.AreEqual(0, g[1], 1e-3);
        Assert.AreEqual(0, g[3], 1e-3);
    }

    [TestMethod]
    public void MulticlassReachesHighAccuracyOnGaussianBlobs()
    {
        var random = new Random(5);
        double[][] centres = [[0, 0, 0], [3, 0, 1], [0, 3, -1]];
        var (x, y) = TestData.Blobs(random, centres, 100, 1);

        var (model, summary) = LbfgsSolver.TrainMulticlass(TestData.Rows(x, y), 3, new LbfgsMaximumEntropyMulticlassTrainer.Options());

        var scores = new float[3];
        int correct = 0;
        for (int i = 0; i < x.Length; i++)
        {
            model.Score(x[i], scores);
            correct += Array.IndexOf(scores, scores.Max()) == (int)y[i] ? 1 : 0;
        }
        double accuracy = correct / (double)x.Length;
        Assert.IsTrue(accuracy >= 0.9, $"accuracy {accuracy}; {summary}");
        Assert.AreEqual(LbfgsTermination.Converged, summary.Termination);
    }

    [TestMethod]
    public void MulticlassRejectsLabelOutsideClassRange()
    {
        var rows = TestData.Rows([[0f], [1f]], [0, 3]);
        var error = Assert.ThrowsException<ArgumentException>(() =>
            LbfgsSolver.TrainMulticlass(rows, 3, new LbfgsMaximumEntropyMulticlassTrainer.Options()));
        StringAssert.Contains(error.Message, "row 1");
    }
}
