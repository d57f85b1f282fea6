using Microsoft.ML;
using Vae.MLNet.Inference;
using TorchSharp;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.Inference;

[TestClass]
public sealed class VaeEvaluationTests
{
    private sealed class LatentRow
    {
        public float[] LatentMean { get; set; } = [];
    }

    private static (MLContext ml, IDataView data, VaeTransformer model) Trained()
    {
        var ml = new MLContext(seed: 2);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(800));
        var model = ml.Transforms.VaeEncode(new VaeOptions { LatentDimension = 6, HiddenDimensions = [32], Epochs = 15, BatchSize = 64, LearningRate = 3e-3 }).Fit(data);
        return (ml, data, model);
    }

    [TestMethod]
    public void MetricsAreConsistentAndActiveUnitsMatchTheLatentMeans()
    {
        var (ml, data, model) = Trained();
        using (model)
        {
            var metrics = model.Evaluate(data);
            Assert.AreEqual(metrics.Elbo, model.Evaluate(data).Elbo, "the same seed gives the same estimate");
            Assert.AreNotEqual(metrics.Elbo, model.Evaluate(data, seed: 1).Elbo);
            Assert.AreEqual(800, metrics.RowCount);
            Assert.AreEqual(-(metrics.ReconstructionLoss + metrics.KlDivergence), metrics.Elbo, 1e-9);
            Assert.AreEqual(metrics.KlDivergence, metrics.KlPerDimension.Sum(), 1e-6);
            Assert.IsTrue(metrics.KlPerDimension.All(k => k >= 0));
            Assert.IsNull(metrics.ImportanceWeightedBound);

            var means = ml.Data.CreateEnumerable<LatentRow>(model.Transform(data), false).Select(r => r.LatentMean).ToArray();
            int active = Enumerable.Range(0, 6).Count(d =>
            {
                double average = means.Average(m => (double)m[d]);
                return means.Average(m => (m[d] - average) * (m[d] - average)) > 0.01;
            });
            Assert.AreEqual(active, metrics.ActiveUnits);
            Assert.IsTrue(active >= 2, $"a 2-D latent structure needs at least 2 active units, got {active}");
        }
    }

    [TestMethod]
    public void TheImportanceWeightedBoundIsAtLeastTheElboAndGrowsWithK()
    {
        var (_, data, model) = Trained();
        using (model)
        {
            torch.manual_seed(0);
            var k1 = model.Evaluate(data, importanceSamples: 1);
            var k10 = model.Evaluate(data, importanceSamples: 10);
            var k100 = model.Evaluate(data, importanceSamples: 100);
            Assert.AreEqual(1, k1.ImportanceSamples);
            // With k = 1 the bound is the ELBO itself, estimated with the sampled KL instead of the closed form.
            Assert.AreEqual(k1.Elbo, k1.ImportanceWeightedBound!.Value, 0.05 * Math.Abs(k1.Elbo) + 0.5);
            Assert.IsTrue(k10.ImportanceWeightedBound > k10.Elbo, $"IWAE(10) {k10.ImportanceWeightedBound} vs ELBO {k10.Elbo}");
            Assert.IsTrue(k100.ImportanceWeightedBound > k10.ImportanceWeightedBound, $"IWAE(100) {k100.ImportanceWeightedBound} vs IWAE(10) {k10.ImportanceWeightedBound}");
        }
    }

    [TestMethod]
    public void LogDensitiesMatchTheirFormulas()
    {
        using var scope = torch.NewDisposeScope();
        var z = torch.tensor(new double[] { 0.5, -1, 2, 0 }, [2, 2]);
        var mean = torch.tensor(new double[] { 0, 1, 1, 0 }, [2, 2]);
        var logVariance = torch.tensor(new double[] { 0, -1, 0.5, 2 }, [2, 2]);
        double L(double x, double m, double lv) => -0.5 * (Math.Log(2 * Math.PI) + lv + (x - m) * (x - m) / Math.Exp(lv));
        TensorChecks.Close([L(0.5, 0, 0) + L(-1, 0, 0), L(2, 0, 0) + L(0, 0, 0)], LogDensities.StandardNormal(z), 1e-12);
        TensorChecks.Close([L(0.5, 0, 0) + L(-1, 1, -1), L(2, 1, 0.5) + L(0, 0, 2)], LogDensities.DiagonalNormal(z, mean, logVariance), 1e-12);
    }
}
