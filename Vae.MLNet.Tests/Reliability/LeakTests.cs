using System.Diagnostics;
using Microsoft.ML;
using TorchSharp;
using Vae.MLNet.Tests.Support;
using Vae.MLNet.Tests.Support.ModelFiles;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>
/// Long repetitions keep resident memory flat: VmRSS is read after a warm-up and at the end, each time after full
/// collections and finalizers, and the growth must stay under <see cref="Bound"/>. Alone in the process (no other test
/// class runs meanwhile), so the numbers are this test's. TorchSharp's per-thread dispose-scope statistics show, where
/// the work runs on the test's thread, that no tensor is left alive.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class LeakTests
{
    private const long Bound = 30L << 20;

    private sealed class Output
    {
        public float[] LatentMean { get; set; } = [];
        public float[] Reconstruction { get; set; } = [];
    }

    private static long LiveTensors => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    private static void ExpectFlat(string what, int count, Action<int> step, int warmUp)
    {
        for (int i = 0; i < warmUp; i++)
            step(i);
        long before = ProcessMemory.SettledRss(), tensorsBefore = LiveTensors;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
            step(i);
        clock.Stop();
        long after = ProcessMemory.SettledRss(), tensorsAfter = LiveTensors;
        Console.WriteLine($"{what}: {count:N0} in {clock.Elapsed.TotalSeconds:F1} s; resident memory {ProcessMemory.Megabytes(before)} after warm-up, "
            + $"{ProcessMemory.Megabytes(after)} at the end, growth {ProcessMemory.Megabytes(after - before)} (bound {ProcessMemory.Megabytes(Bound)}); "
            + $"live tensors on this thread {tensorsBefore} -> {tensorsAfter}");
        Assert.IsTrue(after - before < Bound, $"{what}: resident memory grew by {ProcessMemory.Megabytes(after - before)}");
        Assert.AreEqual(tensorsBefore, tensorsAfter, $"{what}: tensors created on this thread and left alive");
    }

    [TestMethod]
    public void AHundredThousandPredictionsThroughAVaePipelineKeepMemoryFlat() => PredictionsKeepMemoryFlat(100_000);

    [TestMethod]
    [TestCategory("Slow")]
    public void AMillionPredictionsThroughAVaePipelineKeepMemoryFlat() => PredictionsKeepMemoryFlat(1_000_000);

    private static void PredictionsKeepMemoryFlat(int count)
    {
        var ml = new MLContext(seed: 1);
        var rows = ModelSamples.Rows(256);
        var model = ml.Transforms.NormalizeMinMax("Features").Append(ml.Transforms.VaeEncode(ModelSamples.TinyVae())).Fit(ml.Data.LoadFromEnumerable(rows));
        try
        {
            using var engine = ml.Model.CreatePredictionEngine<SampleRow, Output>(model);
            float sum = 0;
            ExpectFlat("PredictionEngine.Predict through a VAE pipeline", count, i => sum += engine.Predict(rows[i % rows.Length]).LatentMean[0], warmUp: 5_000);
            Assert.IsTrue(float.IsFinite(sum));
        }
        finally
        {
            model.LastTransformer.Dispose();
        }
    }

    [TestMethod]
    public void AHundredFitAndDisposeCyclesOfATinyVaeKeepMemoryFlat()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(ModelSamples.Rows(64));
        // One training thread, so Fit's tensors are this thread's and the statistics see them all.
        var options = ModelSamples.TinyVae();
        options.TrainingThreads = 1;
        ExpectFlat("VaeEncode Fit, Transform and Dispose", 100, _ =>
        {
            using var model = ml.Transforms.VaeEncode(options).Fit(data);
            Assert.AreEqual(8, model.Transform(data).Preview(maxRows: 8).RowView.Length);
        }, warmUp: 10);
    }

    [TestMethod]
    public void ThousandsOfLoadsOfValidAndCorruptModelsKeepMemoryFlat()
    {
        var sample = ModelSamples.Vae;
        var corrupt = WeightsEdit.EditRecords(sample.Bytes, list => list[^1] = list[^1] with { Shape = [5], Data = new byte[20] });
        ExpectFlat("Model.Load of a VAE, valid (transformed) or rejected", 2_000, i =>
            Assert.AreEqual(i % 2 == 0, ModelLoadCheck.Run(i % 2 == 0 ? sample.Bytes : corrupt, sample.Data).Loaded), warmUp: 100);
    }
}
