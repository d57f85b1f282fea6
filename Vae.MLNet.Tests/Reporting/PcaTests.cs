using Vae.MLNet.Reporting;

namespace Vae.MLNet.Tests.Reporting;

[TestClass]
public sealed class PcaTests
{
    [TestMethod]
    public void JacobiFindsTheEigenvaluesOfASymmetricMatrix()
    {
        // [[2,0,0],[0,3,4],[0,4,9]]: the lower block has trace 12 and determinant 11, so eigenvalues 1 and 11; plus 2.
        var (values, vectors) = Pca.SymmetricEigen(new double[,] { { 2, 0, 0 }, { 0, 3, 4 }, { 0, 4, 9 } });
        CollectionAssert.AreEqual(new[] { 1.0, 2.0, 11.0 }, values.Order().Select(v => Math.Round(v, 10)).ToArray());
        // The eigenvector of 11 is (0, 1, 2)/√5, up to sign.
        int k = Array.IndexOf(values, values.Max());
        double sign = Math.Sign(vectors[2, k]);
        Assert.AreEqual(0, vectors[0, k], 1e-10);
        Assert.AreEqual(1 / Math.Sqrt(5), sign * vectors[1, k], 1e-10);
        Assert.AreEqual(2 / Math.Sqrt(5), sign * vectors[2, k], 1e-10);
    }

    [TestMethod]
    public void ComponentsOfPointsWithCovarianceTwoOneOneTwo()
    {
        // Mean (1, 2); deviations (±1, ±1) and (±1, ∓1) weighted so the covariance is [[2, 1], [1, 2]]:
        // (a, a) rows carry variance 3 along (1, 1)/√2, (b, −b) rows variance 1 along (1, −1)/√2.
        double a = Math.Sqrt(3), b = 1;
        float[][] rows =
        [
            [(float)(1 + a), (float)(2 + a)], [(float)(1 - a), (float)(2 - a)],
            [(float)(1 + b), (float)(2 - b)], [(float)(1 - b), (float)(2 + b)],
        ];
        var pca = Pca.Fit(rows);
        CollectionAssert.AreEqual(new[] { 1.0, 2.0 }, pca.Mean.Select(m => Math.Round(m, 6)).ToArray());
        Assert.AreEqual(3, pca.Variances[0], 1e-6);
        Assert.AreEqual(1, pca.Variances[1], 1e-6);
        Assert.AreEqual(0.75, pca.ExplainedRatio(0), 1e-6);
        double r = 1 / Math.Sqrt(2);
        Assert.AreEqual(r, pca.Components[0][0], 1e-6);
        Assert.AreEqual(r, pca.Components[0][1], 1e-6);
        // The largest entry of each component is positive: (1, −1)/√2 has a tie, so check orthogonality and length instead.
        Assert.AreEqual(0, pca.Components[0][0] * pca.Components[1][0] + pca.Components[0][1] * pca.Components[1][1], 1e-9);
        Assert.AreEqual(1, Math.Abs(pca.Components[1][0]) * Math.Sqrt(2), 1e-6);

        var projected = pca.Project(rows[0], 2);
        Assert.AreEqual(a * Math.Sqrt(2), projected[0], 1e-5);
        Assert.AreEqual(0, projected[1], 1e-5);
    }

    [TestMethod]
    public void ProjectionOfADegenerateCloudIsZeroWithNoVariance()
    {
        var pca = Pca.Fit([[1f, 1f, 1f], [1f, 1f, 1f]]);
        Assert.AreEqual(0, pca.ExplainedRatio(0));
        CollectionAssert.AreEqual(new[] { 0.0, 0.0 }, pca.Project([1f, 1f, 1f], 2));
    }
}
