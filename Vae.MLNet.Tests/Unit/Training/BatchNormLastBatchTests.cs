using Microsoft.ML;
using Vae.MLNet.Training;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.Training;

/// <summary>
/// Batch norm in training mode on a batch of one row writes NaN into running_var (libtorch divides by n − 1), so a
/// training set of N ≡ 1 (mod BatchSize) rows used to give a model whose every output was NaN, silently. The last row
/// is now folded into the batch before it, and a training set of one row is refused naming UseBatchNorm.
/// </summary>
[TestClass]
public sealed class BatchNormLastBatchTests
{
    private static VaeOptions Options(int batchSize) => new()
    {
        LatentDimension = 2, HiddenDimensions = [8], Epochs = 2, BatchSize = batchSize, UseBatchNorm = true, Seed = 1, TrainingThreads = 1,
    };

    [TestMethod]
    public void ALastBatchOfOneRowTrainsAFiniteModel()
    {
        foreach (var (rows, batchSize) in new[] { (129, 128), (193, 64) })
        {
            var ml = new MLContext(seed: 1);
            var data = SyntheticData.LinearGaussian(rows, seed: 3);
            // A view that knows its row count and shuffles whole (cached), and one that streams without a count.
            foreach (var (kind, view) in new[] { ("cached", ml.Data.Cache(ml.Data.LoadFromEnumerable(data))), ("streaming", TrainingData.Streaming(ml, data)) })
            {
                string what = $"{rows} rows at BatchSize {batchSize}, {kind}";
                using var model = ml.Transforms.VaeEncode(Options(batchSize)).Fit(view);
                TrainingData.AssertFiniteWeights(model, what);
                TrainingData.AssertFiniteOutputs(model, ml.Data.LoadFromEnumerable(data), what);
            }
        }
    }

    [TestMethod]
    public void TheSourceFoldsALastBatchOfOneRowIntoTheOneBeforeAndKeepsEveryRow()
    {
        var ml = new MLContext(seed: 1);
        foreach (var (rows, batchSize, expected) in new[] { (129, 128, new[] { 129 }), (193, 64, new[] { 64, 64, 65 }), (130, 128, new[] { 128, 2 }), (1, 128, new[] { 1 }) })
        {
            var data = SyntheticData.LinearGaussian(rows, seed: 3);
            var view = ml.Data.LoadFromEnumerable(data);
            var source = new DataViewBatchSource(view, view.Schema["Features"], SyntheticData.Dimension, unitInterval: false) { MinimumBatchRows = 2 };
            var sizes = new List<int>();
            var seen = new List<float>();
            foreach (var batch in source.GetBatches(batchSize, shuffleSeed: null))
            {
                sizes.Add(batch.Rows);
                for (int r = 0; r < batch.Rows; r++) seen.Add(batch.Features[r * batch.Dimension]);
            }
            CollectionAssert.AreEqual(expected, sizes, $"{rows} rows at {batchSize}: {string.Join(", ", sizes)}");
            CollectionAssert.AreEqual(data.Select(d => d.Features[0]).ToArray(), seen.ToArray(), $"{rows} rows at {batchSize}: every row once, in order");
        }
    }

    [TestMethod]
    public void OneTrainingRowWithBatchNormIsRefusedNamingTheOptionAndTheRowCount()
    {
        var ml = new MLContext(seed: 1);
        var rows = SyntheticData.LinearGaussian(1, seed: 3);
        foreach (var view in new[] { ml.Data.LoadFromEnumerable(rows), TrainingData.Streaming(ml, rows) })
        {
            var error = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.VaeEncode(Options(128)).Fit(view));
            Console.WriteLine(error.Message);
            StringAssert.Contains(error.Message, "UseBatchNorm");
            StringAssert.Contains(error.Message, "1 row");
        }
        // Without batch norm one row trains.
        var plain = Options(128);
        plain.UseBatchNorm = false;
        using var model = ml.Transforms.VaeEncode(plain).Fit(ml.Data.LoadFromEnumerable(rows));
        TrainingData.AssertFiniteWeights(model, "one row without batch norm");
    }

    [TestMethod]
    public void BatchSizeOneWithBatchNormIsRefusedAtConstruction()
    {
        var options = Options(1);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new MLContext().Transforms.VaeEncode(options));
        Assert.AreEqual(nameof(VaeOptions.BatchSize), error.ParamName);
        StringAssert.Contains(error.Message, "UseBatchNorm");
    }
}
