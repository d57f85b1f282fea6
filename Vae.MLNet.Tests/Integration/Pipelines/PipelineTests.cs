using Microsoft.Data.Analysis;
using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Integration.Pipelines;

/// <summary>VaeEncode inside ML.NET pipelines: with ML.NET's transforms and trainers around it, caching, previews, prediction engines, splits, cross-validation, DataFrames and the model zip.</summary>
[TestClass]
public sealed class PipelineTests
{
    private sealed class Predicted
    {
        public float[] LatentMean { get; set; } = [];
        public float[] Reconstruction { get; set; } = [];
        public uint PredictedLabel { get; set; }
        public float[] Score { get; set; } = [];
    }

    private sealed class BinaryPredicted
    {
        public bool IsFirstClass { get; set; }
        public bool PredictedLabel { get; set; }
    }

    [TestMethod]
    public void VaeEncodeChainsBetweenMlNetTransformsAndFeedsALinearAndATreeTrainer()
    {
        var ml = new MLContext(seed: 1);
        var rows = PipelineData.Rows(400);
        var split = ml.Data.TrainTestSplit(ml.Data.LoadFromEnumerable(rows), testFraction: 0.25, seed: 2);
        long trainRows = split.TrainSet.GetRowCount() ?? ml.Data.CreateEnumerable<MixedRow>(split.TrainSet, false).LongCount();
        long testRows = ml.Data.CreateEnumerable<MixedRow>(split.TestSet, false).LongCount();
        Assert.AreEqual(400, trainRows + testRows, "TrainTestSplit partitions the rows");
        Assert.IsTrue(testRows is > 50 and < 150, $"test rows {testRows}");

        var features = PipelineData.Prefix(ml)
            .Append(ml.Transforms.NormalizeMinMax("LatentFeatures", "LatentMean"))
            .Append(ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label"))
            .Append(ml.Transforms.CustomMapping((MixedRow input, BinaryPredicted output) => output.IsFirstClass = input.Label == 0, contractName: null))
            .AppendCacheCheckpoint(ml);
        var linear = features.Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("LabelKey", "LatentFeatures"));
        using var linearModel = linear.Fit(split.TrainSet);
        var linearMetrics = ml.MulticlassClassification.Evaluate(linearModel.Transform(split.TestSet), "LabelKey");
        Assert.IsGreaterThan(0.8, linearMetrics.MicroAccuracy, "LbfgsMaximumEntropy on the latent means");

        var tree = features.Append(ml.BinaryClassification.Trainers.FastTree("IsFirstClass", "LatentFeatures", numberOfLeaves: 4, numberOfTrees: 20, minimumExampleCountPerLeaf: 5));
        using var treeModel = tree.Fit(split.TrainSet);
        var treeMetrics = ml.BinaryClassification.Evaluate(treeModel.Transform(split.TestSet), "IsFirstClass");
        Assert.IsGreaterThan(0.8, treeMetrics.Accuracy, "FastTree on the latent means");
        Assert.AreEqual(1, treeModel.OfType<VaeTransformer>().Count());
    }

    [TestMethod]
    public void CacheCheckpointPreviewAndCrossValidationOfADownstreamTrainer()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(PipelineData.Rows(300));
        var pipeline = PipelineData.Prefix(ml).Append(ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label")).AppendCacheCheckpoint(ml);
        using var model = pipeline.Fit(data);
        var transformed = model.Transform(data);

        var preview = transformed.Preview(maxRows: 7);
        Assert.HasCount(7, preview.RowView);
        var latent = preview.RowView[3].Values.Single(kv => kv.Key == "LatentMean").Value;
        Assert.AreEqual(2, ((VBuffer<float>)latent).Length);
        var text = preview.ColumnView.Single(c => c.Column.Name == "Text").Values;
        Assert.AreEqual("row 3", text[3].ToString()![..5]);

        var results = ml.MulticlassClassification.CrossValidate(transformed,
            ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("LabelKey", "LatentMean"), numberOfFolds: 3, labelColumnName: "LabelKey", seed: 1);
        Assert.HasCount(3, results);
        foreach (var fold in results)
            Assert.IsGreaterThan(0.7, fold.Metrics.MicroAccuracy, $"fold {fold.Fold}");
    }

    [TestMethod]
    public void APredictionEngineGivesTheTransformsOutputs()
    {
        var ml = new MLContext(seed: 1);
        var rows = PipelineData.Rows(300);
        var data = ml.Data.LoadFromEnumerable(rows);
        using var model = PipelineData.Prefix(ml, o => o.AnomalyScoreColumnName = "AnomalyScore").Fit(data);
        var batched = ml.Data.CreateEnumerable<ScoredOutput>(model.Transform(data), false).ToArray();
        using var engine = ml.Model.CreatePredictionEngine<MixedRow, ScoredOutput>(model);
        // Rows in a batch of 256 (Transform) and alone (PredictionEngine) may meet other kernels: equal to float precision.
        foreach (int i in new[] { 0, 1, 137, 255, 256, 299 })
        {
            var single = engine.Predict(rows[i]);
            TensorChecks.Close(batched[i].LatentMean, single.LatentMean, 1e-5, $"row {i} LatentMean");
            TensorChecks.Close(batched[i].LatentLogVariance, single.LatentLogVariance, 1e-5, $"row {i} LatentLogVariance");
            TensorChecks.Close(batched[i].Reconstruction, single.Reconstruction, 1e-5, $"row {i} Reconstruction");
            Assert.AreEqual(batched[i].AnomalyScore, single.AnomalyScore, 1e-3 * Math.Max(1, Math.Abs(batched[i].AnomalyScore)), $"row {i} AnomalyScore");
            Assert.AreEqual(batched[i].Text, single.Text);
            Assert.AreEqual(batched[i].CategoryKey, single.CategoryKey);
        }
    }

    public sealed class ScoredOutput
    {
        public string Text { get; set; } = "";
        public uint CategoryKey { get; set; }
        public float[] LatentMean { get; set; } = [];
        public float[] LatentLogVariance { get; set; } = [];
        public float[] Reconstruction { get; set; } = [];
        public float AnomalyScore { get; set; }
    }

    [TestMethod]
    public void ADataFrameAfterConcatenateTrainsTheSameModelAsTheSameRowsFromEnumerable()
    {
        var rows = PipelineData.Rows(200);
        var frame = new DataFrame(Enumerable.Range(0, SyntheticData.Dimension)
            .Select(j => (DataFrameColumn)new PrimitiveDataFrameColumn<float>($"x{j}", rows.Select(r => j < 12 ? r.Left[j] : r.Right[j - 12])))
            .Append(new PrimitiveDataFrameColumn<float>("Label", rows.Select(r => r.Label))));
        var ml = new MLContext(seed: 1);
        var names = Enumerable.Range(0, SyntheticData.Dimension).Select(j => $"x{j}").ToArray();
        var fromFrame = ml.Transforms.Concatenate("Features", names).Append(ml.Transforms.VaeEncode(PipelineData.Options()));
        using var frameModel = fromFrame.Fit(frame);
        var frameOut = ml.Data.CreateEnumerable<Predicted>(frameModel.Transform(frame), false, ignoreMissingColumns: true).ToArray();

        var enumerable = ml.Data.LoadFromEnumerable(rows);
        using var rowModel = ml.Transforms.Concatenate("Features", "Left", "Right").Append(ml.Transforms.VaeEncode(PipelineData.Options())).Fit(enumerable);
        var rowOut = ml.Data.CreateEnumerable<Predicted>(rowModel.Transform(enumerable), false, ignoreMissingColumns: true).ToArray();
        Assert.HasCount(200, frameOut);
        for (int i = 0; i < rows.Length; i++)
            CollectionAssert.AreEqual(rowOut[i].LatentMean, frameOut[i].LatentMean, $"row {i}: the same values in the same order train the same VAE");

        // The reconstruction carries the Concatenate's slot names: the DataFrame's column names.
        var slotNames = default(VBuffer<ReadOnlyMemory<char>>);
        frameModel.Transform(frame).Schema["Reconstruction"].GetSlotNames(ref slotNames);
        CollectionAssert.AreEqual(names, slotNames.DenseValues().Select(n => n.ToString()).ToArray());
    }

    [TestMethod]
    public void ASavedAndLoadedChainGivesIdenticalOutputsAndKeepsTheVaesApi()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(PipelineData.Rows(300));
        var pipeline = PipelineData.Prefix(ml)
            .Append(ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label"))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("LabelKey", "LatentMean"));
        using var model = pipeline.Fit(data);
        var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var fresh = new MLContext();
        var loaded = fresh.Model.Load(stream, out var schema);
        Assert.AreEqual(data.Schema.Count, schema.Count);

        var before = ml.Data.CreateEnumerable<Predicted>(model.Transform(data), false, ignoreMissingColumns: true).ToArray();
        var after = fresh.Data.CreateEnumerable<Predicted>(loaded.Transform(data), false, ignoreMissingColumns: true).ToArray();
        Assert.HasCount(before.Length, after);
        for (int i = 0; i < before.Length; i++)
        {
            CollectionAssert.AreEqual(before[i].LatentMean, after[i].LatentMean, $"row {i}");
            CollectionAssert.AreEqual(before[i].Reconstruction, after[i].Reconstruction, $"row {i}");
            CollectionAssert.AreEqual(before[i].Score, after[i].Score, $"row {i}");
            Assert.AreEqual(before[i].PredictedLabel, after[i].PredictedLabel, $"row {i}");
        }
        var vae = model.OfType<VaeTransformer>().Single();
        var loadedVae = ((IEnumerable<ITransformer>)loaded).OfType<VaeTransformer>().Single();
        CollectionAssert.AreEqual(vae.TrainingHistory.ToArray(), loadedVae.TrainingHistory.ToArray());
        CollectionAssert.AreEqual(vae.Sample(2, seed: 3)[1], loadedVae.Sample(2, seed: 3)[1]);
        Assert.AreEqual(vae.Evaluate(model.Transform(data)).Elbo, loadedVae.Evaluate(loaded.Transform(data)).Elbo);
    }
}
