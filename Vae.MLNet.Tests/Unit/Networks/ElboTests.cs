using TorchSharp;
using Vae.MLNet.Networks;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.Networks;

[TestClass]
public sealed class ElboTests
{
    private static torch.Tensor T(double[] values, long rows) => torch.tensor(values, [rows, values.Length / rows]);

    [TestMethod]
    public void BernoulliTermsMatchTheHandFormulas()
    {
        using var scope = torch.NewDisposeScope();
        double[] logits = [0.5, -1, 2, 0], x = [1, 0, 0.3, 1], mu = [0.2, -0.1, 1, 0.5], logvar = [-0.5, 0.1, 0, -2];
        var terms = Elbo.Compute(T(logits, 2), T(x, 2), T(mu, 2), T(logvar, 2), null, VaeLikelihood.Bernoulli, beta: 0.5);

        double Bce(double l, double t) => -(t * Math.Log(1 / (1 + Math.Exp(-l))) + (1 - t) * Math.Log(1 - 1 / (1 + Math.Exp(-l))));
        double Kl(double m, double lv) => -0.5 * (1 + lv - m * m - Math.Exp(lv));
        double[] recon = [Bce(0.5, 1) + Bce(-1, 0), Bce(2, 0.3) + Bce(0, 1)];
        double[] kl = [Kl(0.2, -0.5) + Kl(-0.1, 0.1), Kl(1, 0) + Kl(0.5, -2)];
        TensorChecks.Close(recon, terms.ReconstructionPerRow, 1e-12);
        TensorChecks.Close(kl, terms.KlPerRow, 1e-12);
        TensorChecks.Close([Kl(0.2, -0.5), Kl(-0.1, 0.1), Kl(1, 0), Kl(0.5, -2)], terms.KlPerDimension.flatten(), 1e-12);
        Assert.AreEqual((recon[0] + 0.5 * kl[0] + recon[1] + 0.5 * kl[1]) / 2, terms.Loss.item<double>(), 1e-12);
    }

    [TestMethod]
    public void GaussianReconstructionIsAProperNegativeLogLikelihood()
    {
        using var scope = torch.NewDisposeScope();
        double[] mean = [0.5, -1, 2], x = [1, 0, 2.5];
        var logVariance = torch.tensor(new double[] { -1, 0, 0.5 });
        var terms = Elbo.Compute(T(mean, 1), T(x, 1), torch.zeros([1, 2], torch.ScalarType.Float64), torch.zeros([1, 2], torch.ScalarType.Float64),
            logVariance, VaeLikelihood.Gaussian, beta: 1);
        double expected = 0;
        double[] lv = [-1, 0, 0.5];
        for (int i = 0; i < 3; i++)
            expected += 0.5 * (Math.Log(2 * Math.PI) + lv[i] + (x[i] - mean[i]) * (x[i] - mean[i]) / Math.Exp(lv[i]));
        TensorChecks.Close([expected], terms.ReconstructionPerRow, 1e-12);
        TensorChecks.Close([0], terms.KlPerRow, 1e-12);
    }

    [TestMethod]
    public void KlIsNonNegativeAndZeroOnlyAtThePrior()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        var mu = torch.randn(1000, 8).mul(3);
        var logvar = torch.randn(1000, 8).mul(3);
        var x = torch.rand(1000, 4);
        var terms = Elbo.Compute(torch.zeros(1000, 4), x, mu, logvar, null, VaeLikelihood.Bernoulli, 1);
        Assert.IsTrue(terms.KlPerDimension.min().item<float>() >= 0);
        var atPrior = Elbo.Compute(torch.zeros(1000, 4), x, torch.zeros(1000, 8), torch.zeros(1000, 8), null, VaeLikelihood.Bernoulli, 1);
        Assert.AreEqual(0, atPrior.KlPerRow.abs().max().item<float>(), 1e-7);
    }

    [TestMethod]
    public void FreeBitsFloorTheTrainedKlPerDimension()
    {
        using var scope = torch.NewDisposeScope();
        var mu = torch.tensor(new double[] { 0.1, 2, 0.1, 2 }, [2, 2]);
        var logvar = torch.zeros([2, 2], torch.ScalarType.Float64);
        var x = torch.zeros([2, 1], torch.ScalarType.Float64);
        var output = torch.zeros([2, 1], torch.ScalarType.Float64);
        var plain = Elbo.Compute(output, x, mu, logvar, null, VaeLikelihood.Bernoulli, 1);
        var floored = Elbo.Compute(output, x, mu, logvar, null, VaeLikelihood.Bernoulli, 1, freeBits: 0.5);
        // KL per dimension: 0.005 (floored to 0.5) and 2.0 (kept): the loss rises by 0.495.
        Assert.AreEqual(plain.Loss.item<double>() + 0.495, floored.Loss.item<double>(), 1e-12);
        TensorChecks.Close(plain.KlPerRow.data<double>().ToArray(), floored.KlPerRow, 1e-12);
    }

    [TestMethod]
    public void GradientsOfTheLossMatchFiniteDifferences()
    {
        using var scope = torch.NewDisposeScope();
        double[] mu0 = [0.3, -0.2, 0.8, 0.1];
        var logvar = torch.tensor(new double[] { -0.3, 0.2, 0.1, -1 }, [2, 2]);
        var logits = torch.tensor(new double[] { 0.4, -0.6, 1.2, 0.1, 0.2, -2 }, [2, 3]);
        var x = torch.tensor(new double[] { 1, 0, 1, 0, 0.5, 1 }, [2, 3]);
        double Loss(double[] m) => Elbo.Compute(logits, x, torch.tensor(m, [2, 2]), logvar, null, VaeLikelihood.Bernoulli, 0.7).Loss.item<double>();

        var mu = torch.tensor(mu0, [2, 2], requires_grad: true);
        Elbo.Compute(logits, x, mu, logvar, null, VaeLikelihood.Bernoulli, 0.7).Loss.backward();
        var numeric = new double[4];
        for (int i = 0; i < 4; i++)
        {
            double[] plus = (double[])mu0.Clone(), minus = (double[])mu0.Clone();
            plus[i] += 1e-6;
            minus[i] -= 1e-6;
            numeric[i] = (Loss(plus) - Loss(minus)) / 2e-6;
        }
        // Analytically dLoss/dμ = β μ / rows.
        TensorChecks.Close(mu0.Select(m => 0.7 * m / 2).ToArray(), mu.grad!, 1e-9);
        TensorChecks.Close(numeric, mu.grad!, 1e-6);
    }

    [TestMethod]
    public void MismatchedShapesAreReportedWithBothShapes()
    {
        using var scope = torch.NewDisposeScope();
        var e = Assert.ThrowsExactly<ArgumentException>(() =>
            Elbo.Compute(torch.zeros(2, 3), torch.zeros(2, 4), torch.zeros(2, 1), torch.zeros(2, 1), null, VaeLikelihood.Bernoulli, 1));
        StringAssert.Contains(e.Message, "[2, 3]");
        StringAssert.Contains(e.Message, "[2, 4]");
    }

    [TestMethod]
    public void TheBernoulliTermStaysFiniteAndExactForLargeLogits()
    {
        using var scope = torch.NewDisposeScope();
        // log(1 + e^60) overflows nothing in the stable form: −log p is 60 for a confident wrong logit, ~e^-60 for a right one.
        var logits = torch.tensor(new float[] { 60, -60, 60, -60 }, [2, 2]);
        var target = torch.tensor(new float[] { 0, 1, 1, 0 }, [2, 2]);
        TensorChecks.Close([120, 2 * Math.Exp(-60)], Elbo.BernoulliNegativeLogLikelihood(logits, target), 1e-4);
    }
}
