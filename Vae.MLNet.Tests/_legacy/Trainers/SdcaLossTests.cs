using Vae.MLNet.Trainers;

namespace Vae.MLNet.Tests.Trainers;

[TestClass]
public sealed class SdcaLossTests
{
    private static readonly double[] Curvatures = [1e-3, 0.1, 1, 75, 1e3, 1e6];

    [TestMethod]
    public void SoftmaxBlockStepSatisfiesStationarityAtExtremeCurvatures()
    {
        double[][] outputs = [[0, 0, 0], [5, -3, 2], [-40, 30, 0], [300, -300, 0]];
        var loss = new SdcaSoftmaxLoss(3);
        foreach (double a in Curvatures)
        {
            foreach (var z in outputs)
            {
                // From a non-trivial dual block (p = [0.2, 0.5, 0.3], label 0), take one exact step.
                var dual = new double[] { 0.8, -0.5, -0.3 };
                var p = new[] { 0.2, 0.5, 0.3 };
                loss.MaximizeDual(z, 0, dual, a);

                var q = new[] { 1 - dual[0], -dual[1], -dual[2] };
                string context = $"a={a}, z=({string.Join(", ", z)}), p'=({string.Join(", ", q)})";
                Assert.AreEqual(1, q.Sum(), 1e-9, context);
                Assert.IsTrue(q.All(v => v >= 0 && double.IsFinite(v)), context);
                // Stationarity: log p'_k + a p'_k - (z_k + a p_k) is the same for every class. The label's p' is
                // stored as 1 - alpha, so only probabilities well above rounding carry an accurate logarithm.
                var multipliers = Enumerable.Range(0, 3).Where(k => q[k] > 1e-8)
                    .Select(k => Math.Log(q[k]) + a * q[k] - z[k] - a * p[k]).ToArray();
                Assert.AreEqual(multipliers.Min(), multipliers.Max(), 1e-6 * (1 + Math.Abs(multipliers.Max())), context);
            }
        }
    }

    [TestMethod]
    public void LogisticStepSatisfiesStationarityAtExtremeCurvatures()
    {
        var loss = new SdcaLogLoss();
        foreach (double a in Curvatures)
        {
            foreach (double z in new[] { -50.0, -2, 0, 0.5, 30 })
            {
                foreach (float label in new[] { 0f, 1f })
                {
                    double y = label > 0 ? 1 : -1, beta = 0.3;
                    var dual = new[] { y * beta };
                    loss.MaximizeDual([z], label, dual, a);

                    // Stationarity: u + y z + a (beta' - beta) = 0 with u = logit(beta'). Checked in the logit where beta'
                    // is interior, and as the fixed point beta' = sigmoid(-y z - a (beta' - beta)) near the bounds,
                    // where a logit of 1 - 1e-13 would amplify rounding.
                    double updated = y * dual[0];
                    string context = $"a={a}, z={z}, label={label}, beta'={updated}";
                    if (updated is > 1e-6 and < 1 - 1e-6)
                    {
                        double residual = Math.Log(updated / (1 - updated)) + y * z + a * (updated - beta);
                        Assert.AreEqual(0, residual, 1e-9 * (1 + Math.Abs(z) + a), context);
                    }
                    else
                    {
                        Assert.AreEqual(1 / (1 + Math.Exp(y * z + a * (updated - beta))), updated, 1e-9, context);
                    }
                }
            }
        }
    }

    [TestMethod]
    public void SquaredLossStepIsTheClosedForm()
    {
        var dual = new[] { 0.4 };
        new SdcaSquaredLoss().MaximizeDual([1.5], 2f, dual, 0.25);
        // Maximizer of alpha y - alpha^2/4 - (alpha - 0.4) z - a/2 (alpha - 0.4)^2: 0.4 + (2 - 1.5 - 0.2) / (0.5 + 0.25).
        Assert.AreEqual(0.8, dual[0], 1e-12);
    }
}
