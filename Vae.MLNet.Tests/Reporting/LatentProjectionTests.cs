using Vae.MLNet.Reporting.Latent;

namespace Vae.MLNet.Tests.Reporting;

[TestClass]
public sealed class LatentProjectionTests
{
    /// <summary>Points spread 3 along (1, 1, 0)/√2, 1 along (1, −1, 0)/√2 and 0.1 along z, shifted by (5, −2, 1).</summary>
    private static float[][] Cloud(int n)
    {
        var random = new Random(3);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return Enumerable.Range(0, n).Select(_ =>
        {
            double a = 3 * Normal(), b = Normal(), c = 0.1 * Normal();
            return new[] { (float)(5 + (a + b) / Math.Sqrt(2)), (float)(-2 + (a - b) / Math.Sqrt(2)), (float)(1 + c) };
        }).ToArray();
    }

    [TestMethod]
    public void MlNetsPcaFindsTheTwoLargestDirectionsAndTheirShareOfVariance()
    {
        var cloud = Cloud(2000);
        var projection = LatentProjection.PrincipalComponents(cloud, seed: 1);
        // Variances 9, 1 and 0.01: shares 9/10.01 and 1/10.01 (up to sampling noise).
        Assert.AreEqual(9 / 10.01, projection.ExplainedRatio[0], 0.02);
        Assert.AreEqual(1 / 10.01, projection.ExplainedRatio[1], 0.02);
        // The first coordinate is the position along (1, 1, 0)/√2 about the mean, up to sign.
        var mean = Enumerable.Range(0, 3).Select(j => cloud.Average(p => p[j])).ToArray();
        var along = cloud.Select(p => ((p[0] - mean[0]) + (p[1] - mean[1])) / Math.Sqrt(2)).ToArray();
        double correlation = Correlation(projection.Points.Select(p => p[0]).ToArray(), along);
        Assert.IsTrue(Math.Abs(correlation) > 0.999, $"PC 1 against the known axis: correlation {correlation}");
        Assert.AreEqual(0, projection.Points.Average(p => p[0]), 1e-2, "centred (the cloud sits at (5, −2, 1))");
    }

    [TestMethod]
    public void ACloudWithNoSpreadProjectsToTheOriginWithNoVariance()
    {
        var same = Enumerable.Repeat(new float[] { 1, 2, 3 }, 10).ToArray();
        var projection = LatentProjection.PrincipalComponents(same, seed: 1);
        Assert.IsTrue(projection.Points.All(p => p[0] == 0 && p[1] == 0));
        CollectionAssert.AreEqual(new double[] { 0, 0 }, projection.ExplainedRatio);
        Assert.ThrowsExactly<ArgumentException>(() => LatentProjection.PrincipalComponents([new float[] { 1, 2 }], seed: 1));
    }

    private static double Correlation(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum(), sxx = x.Sum(a => (a - mx) * (a - mx)), syy = y.Sum(b => (b - my) * (b - my));
        return sxy / Math.Sqrt(sxx * syy);
    }
}
