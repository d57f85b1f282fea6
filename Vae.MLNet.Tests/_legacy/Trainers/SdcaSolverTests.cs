using Vae.MLNet.Trainers;

namespace Vae.MLNet.Tests.Trainers;

[TestClass]
public sealed class SdcaSolverTests
{
    private const int Rows = 100;
    private static readonly double[] TrueWeights = [1.5, -2, 0.5];

    [TestMethod]
    public void BinaryReachesTheLbfgsOptimumOfTheSameObjective()
    {
        // L-BFGS minimizes (sum l + L2/2 |w|^2) / n; SDCA minimizes (1/n) sum l + lambda/2 |w|^2: equal for lambda = L2 / n,
        // with the bias moved out of the regularizer by a positive bias learning rate.
        var (x, y) = BinaryData(1);
        var lbfgs = LbfgsSolver.TrainBinary(TestData.Rows(x, y), new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            L1Regularization = 0,
            L2Regularization = 2,
            OptimizationTolerance = 1e-12f,
        }).Model;

        var (sdca, summary) = SdcaSolver.TrainBinary(TestData.Rows(x, y), new SdcaLogisticRegressionBinaryTrainer.Options
        {
            L2Regularization = 2f / Rows,
            L1Regularization = 0,
            BiasLearningRate = 1,
            ConvergenceTolerance = 1e-8f,
            MaximumNumberOfIterations = 1000,
        }, seed: 1);

        Assert.IsTrue(summary.Converged, summary.ToString());
        AssertClose(lbfgs, sdca, 1e-3);
    }

    [TestMethod]
    public void BinaryWithRegularizedBiasMatchesNewtonSolution()
    {
        var (x, y) = BinaryData(2);
        const double lambda = 0.05;

        var model = SdcaSolver.TrainBinary(TestData.Rows(x, y), new SdcaLogisticRegressionBinaryTrainer.Options
        {
            L2Regularization = (float)lambda,
            L1Regularization = 0,
            ConvergenceTolerance = 1e-9f,
            MaximumNumberOfIterations = 1000,
        }, seed: 2).Model;

        // (1/n) sum l + lambda/2 (|w|^2 + b^2) has the minimizer of sum l + (n lambda)/2 (|w|^2 + b^2).
        var reference = LogisticReference.NewtonBinary(x, y, Rows * lambda, regularizeBias: true);
        Assert.AreEqual(reference[0], model.Bias, 1e-4);
        for (int j = 0; j < 3; j++)
            Assert.AreEqual(reference[j + 1], model.Weights[j], 1e-4, $"weight {j}");
    }

    [TestMethod]
    public void ElasticNetReachesTheOwlqnOptimum()
    {
        // SDCA's L1 is a threshold tau on the L2-scaled problem: lambda tau |w|_1 matches L-BFGS's L1 / n for tau = L1 / L2.
        var random = new Random(3);
        var x = TestData.GaussianRows(random, 200, 6);
        var y = TestData.LogisticLabels(random, x, [1.5, -2, 0.5, 0, 0, 0], 0.3);
        const float l1 = 8, l2 = 4;
        var lbfgs = LbfgsSolver.TrainBinary(TestData.Rows(x, y), new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            L1Regularization = l1,
            L2Regularization = l2,
            OptimizationTolerance = 1e-12f,
        }).Model;

        var (sdca, summary) = SdcaSolver.TrainBinary(TestData.Rows(x, y), new SdcaLogisticRegressionBinaryTrainer.Options
        {
            L2Regularization = l2 / 200,
            L1Regularization = l1 / l2,
            BiasLearningRate = 1,
            ConvergenceTolerance = 1e-8f,
            MaximumNumberOfIterations = 2000,
        }, seed: 3);

        Assert.IsTrue(lbfgs.Weights.Count(w => w == 0) >= 1, "the test needs L1 to zero a weight");
        AssertClose(lbfgs, sdca, 1e-3);
        for (int j = 0; j < 6; j++)
            Assert.AreEqual(lbfgs.Weights[j] == 0, sdca.Weights[j] == 0, $"sparsity pattern of weight {j}; {summary}");
    }

    [TestMethod]
    public void RegressionMatchesClosedFormRidge()
    {
        var random = new Random(4);
        var x = TestData.GaussianRows(random, Rows, 3);
        var y = x.Select(r => (float)(2 + TestData.Dot(r, TrueWeights) + 0.3 * TestData.Gaussian(random))).ToArray();
        const double lambda = 0.1;

        var (model, summary) = SdcaSolver.TrainRegression(TestData.Rows(x, y), new SdcaRegressionTrainer.Options
        {
            L2Regularization = (float)lambda,
            L1Regularization = 0,
            ConvergenceTolerance = 1e-9f,
            MaximumNumberOfIterations = 2000,
        }, seed: 4);

        // (1/n) sum (z - y)^2 + lambda/2 |w|^2 with a free intercept solves (X'X + n lambda/2 I') theta = X'y.
        var reference = TestData.RidgeSolution(x, y, Rows * lambda / 2);
        Assert.IsTrue(summary.Converged, summary.ToString());
        Assert.AreEqual(reference[0], model.Bias, 1e-3);
        for (int j = 0; j < 3; j++)
            Assert.AreEqual(reference[j + 1], model.Weights[j], 1e-3, $"weight {j}");
    }

    [TestMethod]
    public void MulticlassReachesTheLbfgsOptimumOfTheSameObjective()
    {
        double[][] centres = [[0, 0, 0], [2, 0, 1], [0, 2, -1]];
        var (x, y) = TestData.Blobs(new Random(5), centres, 40, 1);
        var lbfgs = LbfgsSolver.TrainMulticlass(TestData.Rows(x, y), 3, new LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            L1Regularization = 0,
            L2Regularization = 3,
            OptimizationTolerance = 1e-12f,
        }).Model;

        var (sdca, summary) = SdcaSolver.TrainMulticlass(TestData.Rows(x, y), 3, new SdcaMaximumEntropyMulticlassTrainer.Options
        {
            L2Regularization = 3f / x.Length,
            L1Regularization = 0,
            BiasLearningRate = 1,
            ConvergenceTolerance = 1e-8f,
            MaximumNumberOfIterations = 1000,
        }, seed: 5);

        Assert.IsTrue(summary.Converged, summary.ToString());
        for (int c = 0; c < 3; c++)
        {
            // Softmax is invariant to a common bias shift, so compare biases relative to class 0.
            Assert.AreEqual(lbfgs.Biases[c] - lbfgs.Biases[0], sdca.Biases[c] - sdca.Biases[0], 1e-3, $"bias {c}");
            for (int j = 0; j < 3; j++)
                Assert.AreEqual(lbfgs.Weights[c][j], sdca.Weights[c][j], 1e-3, $"class {c} weight {j}");
        }
    }

    [TestMethod]
    public void DualityGapShrinksAndBoundsThePrimal()
    {
        var (x, y) = BinaryData(6);
        var summary = SdcaSolver.TrainBinary(TestData.Rows(x, y), new SdcaLogisticRegressionBinaryTrainer.Options
        {
            L2Regularization = 0.01f,
            L1Regularization = 0,
            ConvergenceTolerance = 1e-9f,
            MaximumNumberOfIterations = 30,
        }, seed: 6).Summary;

        var checks = summary.Checks;
        Assert.AreEqual(summary.Iterations, checks.Count, "checks every pass by default");
        Assert.IsTrue(checks.All(c => c.DualityGap >= -1e-12), "weak duality: dual never exceeds primal");
        for (int i = 1; i < checks.Count; i++)
            Assert.IsTrue(checks[i].Dual >= checks[i - 1].Dual - 1e-12, $"dual ascent decreased at pass {i + 1}");
        Assert.IsTrue(checks[^1].DualityGap < 1e-4 * checks[0].DualityGap, $"gap {checks[0].DualityGap} -> {checks[^1].DualityGap}");
    }

    [TestMethod]
    public void SameSeedGivesIdenticalModels()
    {
        var (x, y) = BinaryData(7);
        var options = new SdcaLogisticRegressionBinaryTrainer.Options { MaximumNumberOfIterations = 3 };
        var first = SdcaSolver.TrainBinary(TestData.Rows(x, y), options, seed: 42).Model;
        var second = SdcaSolver.TrainBinary(TestData.Rows(x, y), options, seed: 42).Model;
        var other = SdcaSolver.TrainBinary(TestData.Rows(x, y), options, seed: 43).Model;
        CollectionAssert.AreEqual(first.Weights, second.Weights);
        Assert.AreEqual(first.Bias, second.Bias);
        CollectionAssert.AreNotEqual(first.Weights, other.Weights, "a different seed shuffles differently");
    }

    [TestMethod]
    public void UnsetHyperparametersFollowMlNetHeuristics()
    {
        var (x, y) = BinaryData(8);
        var summary = SdcaSolver.TrainBinary(TestData.Rows(x, y), new SdcaLogisticRegressionBinaryTrainer.Options(), seed: 8).Summary;
        Assert.AreEqual(15_000, summary.MaximumNumberOfIterations, "3 * 500000 / 100 rows");
        Assert.AreEqual(20.0 / (7_500 * 100), summary.L2Regularization, 1e-15, "20 / (maxIterations / 2 * rows)");
        Assert.AreEqual(0, summary.L1Threshold, "fewer than 100 features");
        Assert.IsTrue(summary.Converged, "the default tolerance 0.1 is reached long before the pass limit");

        var regression = new SdcaRegressionTrainer.Options();
        Assert.AreEqual(0.01f, regression.ConvergenceTolerance);
        Assert.AreEqual(1f, regression.BiasLearningRate);
        Assert.AreEqual(1e-2, SdcaDefaults.RegressionL2(150));
        Assert.AreEqual(1e-3, SdcaDefaults.RegressionL2(5_000));
        Assert.AreEqual(1e-4, SdcaDefaults.RegressionL2(20_000));
        Assert.AreEqual(0.25, SdcaDefaults.L1Threshold(784));
    }

    [TestMethod]
    public void PositiveInstanceWeightActsAsExampleWeight()
    {
        var (x, y) = BinaryData(9);
        var options = new SdcaLogisticRegressionBinaryTrainer.Options { L2Regularization = 0.05f, ConvergenceTolerance = 1e-9f, MaximumNumberOfIterations = 500 };
        var upweighted = SdcaSolver.TrainBinary(TestData.Rows(x, y), new SdcaLogisticRegressionBinaryTrainer.Options
        {
            L2Regularization = 0.05f,
            ConvergenceTolerance = 1e-9f,
            MaximumNumberOfIterations = 500,
            PositiveInstanceWeight = 3,
        }, seed: 9).Model;
        var weighted = SdcaSolver.TrainBinary(TestData.Rows(x, y, y.Select(v => v > 0 ? 3f : 1f).ToArray()), options, seed: 9).Model;
        AssertClose(weighted, upweighted, 1e-4);
    }

    private static (float[][] X, float[] Y) BinaryData(int seed)
    {
        var random = new Random(seed);
        var x = TestData.GaussianRows(random, Rows, 3);
        return (x, TestData.LogisticLabels(random, x, TrueWeights, 0.8));
    }

    private static void AssertClose(LinearModel expected, LinearModel actual, double tolerance)
    {
        Assert.AreEqual(expected.Bias, actual.Bias, tolerance, "bias");
        for (int j = 0; j < expected.Weights.Length; j++)
            Assert.AreEqual(expected.Weights[j], actual.Weights[j], tolerance, $"weight {j}");
    }
}
