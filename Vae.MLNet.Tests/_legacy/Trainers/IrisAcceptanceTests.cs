using System.Globalization;
using Vae.MLNet.Data;
using Vae.MLNet.Trainers;

namespace Vae.MLNet.Tests.Trainers;

/// <summary>Issue #3's acceptance test: an iris-shaped CSV through the classic ML.NET multiclass pipeline, saved and reloaded.</summary>
[TestClass]
public sealed class IrisAcceptanceTests
{
    internal sealed class IrisRow
    {
        [LoadColumn(0)]
        public float SepalLength { get; set; }

        [LoadColumn(1)]
        public float SepalWidth { get; set; }

        [LoadColumn(2)]
        public float PetalLength { get; set; }

        [LoadColumn(3)]
        public float PetalWidth { get; set; }

        [LoadColumn(4)]
        public string Label { get; set; } = "";
    }

    internal sealed class IrisPrediction
    {
        public string PredictedLabel { get; set; } = "";

        public float[] Score { get; set; } = [];
    }

    /// <summary>150 rows, 50 per class, in shuffled order: three well-separated Gaussian blobs in four dimensions.</summary>
    internal static string WriteIrisCsv(int seed)
    {
        (string Name, double[] Centre)[] classes =
        [
            ("setosa", [5.0, 3.4, 1.5, 0.2]),
            ("versicolor", [5.9, 2.8, 4.3, 1.3]),
            ("virginica", [6.6, 3.0, 5.6, 2.0]),
        ];
        var random = new Random(seed);
        var lines = classes.SelectMany(c => Enumerable.Range(0, 50).Select(_ =>
            string.Join(',', c.Centre.Select(m => (m + 0.15 * TestData.Gaussian(random)).ToString("0.00", CultureInfo.InvariantCulture))) + "," + c.Name))
            .ToArray();
        random.Shuffle(lines);
        string path = Path.Combine(Path.GetTempPath(), $"iris-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, lines.Prepend("SepalLength,SepalWidth,PetalLength,PetalWidth,Label"));
        return path;
    }

    internal static IEstimator<ITransformer> Pipeline(MLContext ml) =>
        ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Concatenate("Features", "SepalLength", "SepalWidth", "PetalLength", "PetalWidth"))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy())
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

    [TestMethod]
    public void TrainsEvaluatesSavesAndReloadsTheIrisPipeline()
    {
        string csv = WriteIrisCsv(seed: 7);
        string zip = Path.ChangeExtension(csv, ".zip");
        try
        {
            var ml = new MLContext(seed: 1);
            var data = ml.Data.LoadFromTextFile<IrisRow>(csv, separatorChar: ',', hasHeader: true);
            var split = ml.Data.TrainTestSplit(data, testFraction: 0.2);
            var model = Pipeline(ml).Fit(split.TrainSet);

            var scored = model.Transform(split.TestSet);
            var metrics = ml.MulticlassClassification.Evaluate(scored);
            Assert.IsTrue(metrics.MicroAccuracy >= 0.9, $"MicroAccuracy {metrics.MicroAccuracy}");
            Assert.AreEqual(3, metrics.ConfusionMatrix.NumberOfClasses);
            var expected = scored.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(v => v.ToString()).ToList();
            Assert.IsTrue(expected.Count is > 15 and < 45, $"the test part has {expected.Count} rows");

            ml.Model.Save(model, data.Schema, zip);
            var reloadedContext = new MLContext();
            var loaded = reloadedContext.Model.Load(zip, out var inputSchema);
            Assert.AreEqual(data.Schema.Count, inputSchema.Count);
            var last = ((TransformerChain<ITransformer>)loaded).Reverse().Skip(1).First();
            Assert.IsInstanceOfType<MulticlassPredictionTransformer<MaximumEntropyModelParameters>>(last);

            using var engine = reloadedContext.Model.CreatePredictionEngine<IrisRow, IrisPrediction>(loaded);
            var testRows = ml.Data.CreateEnumerable<IrisRow>(split.TestSet, reuseRowObject: false).ToList();
            var inMemoryScores = scored.GetColumn<VBuffer<float>>("Score").ToList();
            for (int i = 0; i < testRows.Count; i++)
            {
                var prediction = engine.Predict(testRows[i]);
                Assert.AreEqual(expected[i], prediction.PredictedLabel, $"row {i}");
                CollectionAssert.AreEqual(inMemoryScores[i].DenseValues().ToArray(), prediction.Score, $"row {i} scores");
            }
            Assert.IsTrue(testRows.Zip(expected).Count(p => p.First.Label == p.Second) >= 0.9 * testRows.Count, "predicted labels map back to the original names");
        }
        finally
        {
            File.Delete(csv);
            File.Delete(zip);
        }
    }
}
