using Microsoft.ML;
using Vae.MLNet.Inference;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.Inference;

[TestClass]
public sealed class VaeInferenceTests
{
    private sealed class ScoredRow
    {
        public float Label { get; set; }
        public float AnomalyScore { get; set; }
        public float[] LatentMean { get; set; } = [];
    }

    private static VaeTransformer Train(MLContext ml, IDataView data, Action<VaeOptions>? change = null)
    {
        var options = new VaeOptions { LatentDimension = 4, HiddenDimensions = [32], Epochs = 12, BatchSize = 64, LearningRate = 3e-3 };
        change?.Invoke(options);
        return ml.Transforms.VaeEncode(options).Fit(data);
    }

    [TestMethod]
    public void TheAmortizationGapIsNonNegativeAndShrinksWithRefinement()
    {
        var ml = new MLContext(seed: 4);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(300, noise: 0.05));
        using var model = Train(ml, data);
        var gap = model.MeasureAmortizationGap(data, steps: 100, learningRate: 0.02);
        Assert.AreEqual(300, gap.AmortizedElboPerRow.Count);
        Assert.IsTrue(gap.Gap > 0, $"gap {gap.Gap}: optimizing each row's posterior should beat the encoder");
        int improved = gap.OptimizedElboPerRow.Where((v, i) => v >= gap.AmortizedElboPerRow[i]).Count();
        Assert.IsTrue(improved > 0.9 * 300, $"{improved} of 300 rows improved");

        var refined = model.WithInference(new VaeInferenceSettings(RefinementSteps: 20, RefinementLearningRate: 0.02, AnomalyScoreImportanceSamples: 0));
        var refinedGap = refined.MeasureAmortizationGap(data, steps: 100, learningRate: 0.02);
        Assert.IsTrue(refinedGap.AmortizedElbo > gap.AmortizedElbo, $"refinement raises the ELBO: {gap.AmortizedElbo} → {refinedGap.AmortizedElbo}");
        Assert.IsTrue(refinedGap.Gap < gap.Gap, $"gap after refinement {refinedGap.Gap} vs {gap.Gap}");
        Assert.IsTrue(refined.Evaluate(data).Elbo > model.Evaluate(data).Elbo, "Evaluate sees the refined posterior");
    }

    [TestMethod]
    public void RefinedLatentsAreDeterministicAndIndependentOfTheBatch()
    {
        var ml = new MLContext(seed: 4);
        var rows = SyntheticData.LinearGaussian(300);
        var data = ml.Data.LoadFromEnumerable(rows);
        using var model = Train(ml, data, o => { o.RefinementSteps = 5; o.Epochs = 2; });
        var batched = ml.Data.CreateEnumerable<ScoredRow>(model.Transform(data), false, ignoreMissingColumns: true).ToArray();
        var again = ml.Data.CreateEnumerable<ScoredRow>(model.Transform(data), false, ignoreMissingColumns: true).ToArray();
        for (int i = 0; i < rows.Length; i += 37)
        {
            CollectionAssert.AreEqual(batched[i].LatentMean, again[i].LatentMean);
            var single = model.Encode(rows[i].Features).Mean;
            for (int j = 0; j < single.Length; j++) Assert.AreEqual(batched[i].LatentMean[j], single[j], 1e-4);
        }
    }

    [TestMethod]
    public void AHeldOutClassScoresAsAnomalous()
    {
        var ml = new MLContext(seed: 5);
        var all = SyntheticData.LinearGaussian(2000, classes: 3, noise: 0.05);
        var normal = ml.Data.LoadFromEnumerable(all.Where(r => r.Label != 2).Take(1000).ToArray());
        var test = all.Skip(1200).ToArray();
        foreach (int samples in new[] { 0, 16 })
        {
            using var model = Train(ml, normal, o => { o.AnomalyScoreColumnName = "AnomalyScore"; o.AnomalyScoreImportanceSamples = samples; });
            var scored = ml.Data.CreateEnumerable<ScoredRow>(model.Transform(ml.Data.LoadFromEnumerable(test)), false).ToArray();
            double auc = Auc(scored.Select(r => (double)r.AnomalyScore).ToArray(), scored.Select(r => r.Label == 2).ToArray());
            Assert.IsTrue(auc > 0.8, $"ROC AUC of the anomaly score with {samples} importance samples: {auc:F3}");
        }
    }

    /// <summary>The probability that a random positive scores above a random negative (ties count half).</summary>
    private static double Auc(double[] scores, bool[] positive)
    {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < scores.Length; i++)
            for (int j = 0; j < scores.Length; j++)
                if (positive[i] && !positive[j])
                {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
        return wins / pairs;
    }
}
