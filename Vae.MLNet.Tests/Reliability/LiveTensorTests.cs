using Microsoft.ML;
using TorchSharp;
using Vae.MLNet.Tests.Support.ModelFiles;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>
/// TorchSharp's per-thread dispose-scope statistics after the operations LeakTests does not repeat: Transform over a
/// whole view (refinement and anomaly score included), Evaluate (with importance samples), MeasureAmortizationGap and
/// the direct Encode/Reconstruct. All run on the test's thread, so every tensor they make is counted; none may be left.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class LiveTensorTests
{
    private sealed class Output
    {
        public float[] LatentMean { get; set; } = [];
        public float[] Reconstruction { get; set; } = [];
        public float AnomalyScore { get; set; }
    }

    private static long Live => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    [TestMethod]
    public void TransformEvaluateAndTheAmortizationGapLeaveNoTensorAlive()
    {
        var ml = new MLContext(seed: 2);
        var data = ml.Data.LoadFromEnumerable(ModelSamples.Rows(500, seed: 9));
        var options = ModelSamples.TinyVae();
        options.RefinementSteps = 2;
        options.AnomalyScoreColumnName = "AnomalyScore";
        options.TrainingThreads = 1;
        using var model = ml.Transforms.VaeEncode(options).Fit(data);
        // One warm-up of each, so lazily created state (TorchSharp's, libtorch's) is not counted as a leak.
        void All()
        {
            var rows = ml.Data.CreateEnumerable<Output>(model.Transform(data), reuseRowObject: false, ignoreMissingColumns: true).ToArray();
            Assert.HasCount(500, rows);
            Assert.IsTrue(double.IsFinite(model.Evaluate(data, importanceSamples: 8, seed: 1).Elbo), "Evaluate");
            Assert.IsNotNull(model.MeasureAmortizationGap(ml.Data.TakeRows(data, 20), steps: 5));
            Assert.HasCount(4, model.Reconstruct(ModelSamples.Rows(1)[0].Features));
        }
        All();
        long before = Live;
        for (int i = 0; i < 3; i++) All();
        Console.WriteLine($"live tensors on this thread: {before} before, {Live} after 3 rounds of Transform (500 rows), Evaluate, MeasureAmortizationGap, Reconstruct");
        Assert.AreEqual(before, Live, "tensors created on this thread were left alive");
    }
}
