using Microsoft.ML;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.Training;

/// <summary>
/// A checkpoint belongs to its data as well as to its options: resuming it on other data (the same row count with other
/// values, another row count, another input column) is refused with the checkpoint's mismatch message, and resuming on
/// the same data still continues the run.
/// </summary>
[TestClass]
public sealed class CheckpointDataTests
{
    private static readonly LabelledRow[] RowsA = SyntheticData.LinearGaussian(64, seed: 3);
    private static readonly LabelledRow[] RowsB = SyntheticData.LinearGaussian(64, seed: 4);

    private static VaeOptions Options(string path, int epochs) => new()
    {
        LatentDimension = 2, HiddenDimensions = [8], Epochs = epochs, BatchSize = 16, Seed = 3, CheckpointPath = path, TrainingThreads = 1,
    };

    private static string TempPath() => Path.Combine(Path.GetTempPath(), $"vae-checkpoint-data-{Guid.NewGuid():N}.zip");

    private static void ExpectRefused(MLContext ml, string path, IDataView other, string what)
    {
        var epochs = new List<int>();
        var options = Options(path, epochs: 3);
        options.Progress = new TrainingData.Reporter(m => epochs.Add(m.Epoch));
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.VaeEncode(options).Fit(other), what);
        StringAssert.Contains(error.Message, "other settings or data", what);
        StringAssert.Contains(error.Message, path, what);
        Assert.IsEmpty(epochs, $"{what}: no epoch may run on a refused checkpoint");
    }

    [TestMethod]
    public void ACheckpointOfOtherDataIsRefusedAndOneOfTheSameDataResumes()
    {
        var ml = new MLContext(seed: 1);
        string path = TempPath();
        try
        {
            using (ml.Transforms.VaeEncode(Options(path, epochs: 2)).Fit(ml.Data.LoadFromEnumerable(RowsA))) { }
            ExpectRefused(ml, path, ml.Data.LoadFromEnumerable(RowsB), "the same row count, other values");
            ExpectRefused(ml, path, TrainingData.Streaming(ml, RowsB), "other values, streamed");
            ExpectRefused(ml, path, ml.Data.LoadFromEnumerable(RowsA[..63]), "one row fewer");
            // The first rows the same, one value changed further on.
            var changed = RowsA.Select(r => new LabelledRow { Features = (float[])r.Features.Clone(), Label = r.Label }).ToArray();
            changed[40].Features[7] += 0.5f;
            ExpectRefused(ml, path, ml.Data.LoadFromEnumerable(changed), "one value changed in row 40");

            var epochs = new List<int>();
            var resume = Options(path, epochs: 3);
            resume.Progress = new TrainingData.Reporter(m => epochs.Add(m.Epoch));
            using var resumed = ml.Transforms.VaeEncode(resume).Fit(ml.Data.LoadFromEnumerable(RowsA));
            CollectionAssert.AreEqual(new[] { 3 }, epochs, "the same data resumes after epoch 2");
            Assert.HasCount(3, resumed.TrainingHistory);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void AConditionalCheckpointIsRefusedOnOtherConditionsOfTheSameFeatures()
    {
        var ml = new MLContext(seed: 1);
        // The condition is the class as a key; a second key map (fitted on A) keeps the key values comparable.
        var keys = ml.Transforms.Conversion.MapValueToKey("Class", "Label").Fit(ml.Data.LoadFromEnumerable(RowsA));
        IDataView View(LabelledRow[] rows) => keys.Transform(ml.Data.LoadFromEnumerable(rows));
        var relabelled = RowsA.Select((r, i) => new LabelledRow { Features = r.Features, Label = RowsA[(i + 1) % RowsA.Length].Label }).ToArray();
        Assert.IsTrue(relabelled.Where((r, i) => r.Label != RowsA[i].Label).Any());
        string path = TempPath();
        try
        {
            VaeOptions Conditional(int epochs)
            {
                var o = Options(path, epochs);
                o.ConditionColumnName = "Class";
                return o;
            }
            using (ml.Transforms.VaeEncode(Conditional(1)).Fit(View(RowsA))) { }
            var error = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.VaeEncode(Conditional(2)).Fit(View(relabelled)).Dispose());
            StringAssert.Contains(error.Message, "other settings or data");
            using var resumed = ml.Transforms.VaeEncode(Conditional(2)).Fit(View(RowsA));
            Assert.HasCount(2, resumed.TrainingHistory);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void TheSameRowsThroughAViewOfAnotherKindResume()
    {
        // Written from a stream (no row count: only its first rows are fingerprinted), resumed from the rows in memory
        // (a row count and a strided sample too): what only one side can tell is not compared.
        var ml = new MLContext(seed: 1);
        string path = TempPath();
        try
        {
            using (ml.Transforms.VaeEncode(Options(path, epochs: 1)).Fit(TrainingData.Streaming(ml, RowsA))) { }
            var epochs = new List<int>();
            var resume = Options(path, epochs: 2);
            resume.Progress = new TrainingData.Reporter(m => epochs.Add(m.Epoch));
            using (ml.Transforms.VaeEncode(resume).Fit(ml.Data.Cache(ml.Data.LoadFromEnumerable(RowsA)))) { }
            CollectionAssert.AreEqual(new[] { 2 }, epochs, "the same rows resume after epoch 1");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
