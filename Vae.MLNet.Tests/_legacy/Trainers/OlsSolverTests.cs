using Vae.MLNet.Trainers;

namespace Vae.MLNet.Tests.Trainers;

[TestClass]
public sealed class OlsSolverTests
{
    // 12 rows, 2 features. Reference numbers from numpy (solve of the normal equations, the sandwich covariance
    // s^2 A^-1 X'X A^-1 with A = X'X + ridge) and mpmath.betainc for the Student-t p-values.
    private static readonly float[][] X =
    [
        [0.5f, 1.2f], [1.0f, -0.3f], [1.5f, 0.8f], [2.0f, 2.1f], [2.5f, -1.0f], [3.0f, 0.4f],
        [3.5f, 1.7f], [4.0f, -0.6f], [4.5f, 0.9f], [5.0f, 2.5f], [5.5f, -0.2f], [6.0f, 1.1f],
    ];

    private static readonly float[] Y = [2.1f, 1.6f, 3.9f, 6.2f, 2.8f, 5.1f, 7.9f, 4.6f, 7.3f, 10.4f, 6.5f, 9.2f];

    [TestMethod]
    public void UnregularizedFitMatchesReferenceStatistics()
    {
        var result = OlsSolver.Train(TestData.Rows(X, Y), new OlsTrainer.Options { L2Regularization = 0 });

        AssertParameters(result.Model, [0.7597874740385239, 1.1873440521377943, 1.4158293346702011]);
        Assert.AreEqual(0.9773158913558095, result.RSquared, 1e-6);
        Assert.AreEqual(0.9722749783237672, result.RSquaredAdjusted, 1e-6);
        AssertAll([0.2938547557210327, 0.0780199665903013, 0.12870671117949542], result.StandardErrors!, 1e-5);
        AssertAll([2.585588489708904, 15.21846399105474, 11.000431303816583], result.TValues!, 1e-4);
        AssertAll([0.029425633125062464, 9.949065946343123e-08, 1.6094002478183543e-06], result.PValues!, 1e-7);
    }

    [TestMethod]
    public void RidgeScalesWithRowCountAndCorrectsStandardErrors()
    {
        // L2 = 0.5 adds 0.5^2 * 12 rows = 3 to the weights' diagonal of X'X.
        var result = OlsSolver.Train(TestData.Rows(X, Y), new OlsTrainer.Options { L2Regularization = 0.5f });

        AssertParameters(result.Model, [1.1964883163024302, 1.1088180520372686, 1.162585601734576]);
        Assert.AreEqual(0.9639407566578901, result.RSquared, 1e-6);
        Assert.AreEqual(0.9559275914707546, result.RSquaredAdjusted, 1e-6);
        AssertAll([0.3467693502953824, 0.09056288005692109, 0.13181252096637736], result.StandardErrors!, 1e-5);
        AssertAll([0.00727027465664178, 6.487104971652517e-07, 1.0069427971404537e-05], result.PValues!, 1e-7);
    }

    [TestMethod]
    public void DefaultRidgeMatchesNormalEquationsOnLargerData()
    {
        var random = new Random(11);
        var x = TestData.GaussianRows(random, 300, 5);
        var y = x.Select(r => (float)(1 - r[0] + 2 * r[3] + 0.1 * TestData.Gaussian(random))).ToArray();

        var result = OlsSolver.Train(TestData.Rows(x, y), new OlsTrainer.Options { CalculateStatistics = false });

        // The default L2 of 1e-6 adds 1e-12 * 300 rows to the weights' diagonal.
        AssertParameters(result.Model, TestData.RidgeSolution(x, y, 1e-12 * 300));
        Assert.IsNull(result.StandardErrors);
        Assert.IsTrue(result.RSquared > 0.99, result.RSquared.ToString());
    }

    [TestMethod]
    public void UnderdeterminedSystemWithoutRidgeIsRejected()
    {
        var rows = TestData.Rows([[1f, 2f], [3f, 1f]], [1f, 2f]);
        var error = Assert.ThrowsException<InvalidOperationException>(() =>
            OlsSolver.Train(rows, new OlsTrainer.Options { L2Regularization = 0 }));
        StringAssert.Contains(error.Message, "3 parameters, 2 rows");
    }

    [TestMethod]
    public void CollinearFeaturesWithoutRidgeAreRejected()
    {
        var x = Enumerable.Range(0, 10).Select(i => new[] { (float)i, 2f * i }).ToArray();
        var y = Enumerable.Range(0, 10).Select(i => (float)i).ToArray();
        Assert.ThrowsException<InvalidOperationException>(() =>
            OlsSolver.Train(TestData.Rows(x, y), new OlsTrainer.Options { L2Regularization = 0 }));
    }

    [TestMethod]
    public void StudentTPValueMatchesTables()
    {
        // mpmath: betainc(5, 0.5, 0, 10 / (10 + 2^2), regularized=True) = P(|T_10| >= 2).
        Assert.AreEqual(0.07338803477074038, StudentT.TwoSidedPValue(2, 10), 1e-12);
        Assert.AreEqual(1, StudentT.TwoSidedPValue(0, 7), 1e-15);
        Assert.AreEqual(StudentT.TwoSidedPValue(-1.3, 4), StudentT.TwoSidedPValue(1.3, 4), 1e-15);
        // Cauchy (1 degree of freedom): P(|T| >= 1) = 1/2.
        Assert.AreEqual(0.5, StudentT.TwoSidedPValue(1, 1), 1e-12);
    }

    private static void AssertParameters(LinearModel model, double[] biasThenWeights)
    {
        Assert.AreEqual(biasThenWeights[0], model.Bias, 1e-5, "bias");
        for (int j = 1; j < biasThenWeights.Length; j++)
            Assert.AreEqual(biasThenWeights[j], model.Weights[j - 1], 1e-5, $"weight {j - 1}");
    }

    private static void AssertAll(double[] expected, double[] actual, double tolerance)
    {
        Assert.AreEqual(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], actual[i], tolerance, $"entry {i}");
    }
}
