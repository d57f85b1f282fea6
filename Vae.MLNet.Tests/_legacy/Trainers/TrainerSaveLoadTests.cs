using System.Globalization;
using System.Text;
using Vae.MLNet.Calibrators;
using Vae.MLNet.Data;
using Vae.MLNet.Trainers;

namespace Vae.MLNet.Tests.Trainers;

/// <summary>Every prediction transformer through the model zip: same type, same model, same outputs.</summary>
[TestClass]
public sealed class TrainerSaveLoadTests
{
    internal sealed class BinaryPrediction
    {
        public bool PredictedLabel { get; set; }

        public float Score { get; set; }

        public float Probability { get; set; }
    }

    private static ITransformer RoundTrip(ITransformer model, DataViewSchema schema)
    {
        using var stream = new MemoryStream();
        new MLContext().Model.Save(model, schema, stream);
        stream.Position = 0;
        return new MLContext().Model.Load(stream, out _);
    }

    /// <summary>The values of a column as round-trip text, so equal text means bit-identical values.</summary>
    private static string[] Text(IDataView data, string column) => data.Schema[column].Type switch
    {
        VectorDataViewType => data.GetColumn<VBuffer<float>>(column).Select(v => string.Join(" ", v.DenseValues().Select(Format))).ToArray(),
        KeyDataViewType => data.GetColumn<uint>(column).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray(),
        BooleanDataViewType => data.GetColumn<bool>(column).Select(b => b.ToString()).ToArray(),
        _ => data.GetColumn<float>(column).Select(Format).ToArray(),
    };

    private static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void AssertSameOutputs(ITransformer expected, ITransformer actual, IDataView data)
    {
        Assert.AreEqual(expected.GetType(), actual.GetType(), "the loaded transformer has the trained one's type");
        var expectedOutput = expected.Transform(data);
        var actualOutput = actual.Transform(data);
        Assert.AreEqual(expectedOutput.Schema.ToString(), actualOutput.Schema.ToString());
        foreach (var column in expectedOutput.Schema.Skip(data.Schema.Count))
            CollectionAssert.AreEqual(Text(expectedOutput, column.Name), Text(actualOutput, column.Name), column.Name);
    }

    [TestMethod]
    public void BinaryTransformersRoundTrip()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TrainerRows.Binary(seed: 1, count: 100));
        foreach (var trainer in new TrainerEstimatorBase<BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>>, CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>>[]
            { ml.BinaryClassification.Trainers.LbfgsLogisticRegression(), ml.BinaryClassification.Trainers.SdcaLogisticRegression() })
        {
            var model = trainer.Fit(data);
            var loaded = (BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>>)RoundTrip(model, data.Schema);
            AssertSameOutputs(model, loaded, data);
            CollectionAssert.AreEqual(model.Model.SubModel.Weights.ToArray(), loaded.Model.SubModel.Weights.ToArray());
            Assert.AreEqual(model.Model.SubModel.Bias, loaded.Model.SubModel.Bias);
            Assert.AreEqual(model.Model.Calibrator.Slope, loaded.Model.Calibrator.Slope);
            Assert.AreEqual(model.Model.Calibrator.Offset, loaded.Model.Calibrator.Offset);
            Assert.AreEqual(model.Threshold, loaded.Threshold);
        }
    }

    [TestMethod]
    public void RegressionTransformersRoundTrip()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TrainerRows.Regression(seed: 1, count: 100));
        var sdca = ml.Regression.Trainers.Sdca().Fit(data);
        var loadedSdca = (RegressionPredictionTransformer<LinearRegressionModelParameters>)RoundTrip(sdca, data.Schema);
        AssertSameOutputs(sdca, loadedSdca, data);
        CollectionAssert.AreEqual(sdca.Model.Weights.ToArray(), loadedSdca.Model.Weights.ToArray());

        foreach (bool statistics in new[] { true, false })
        {
            var ols = ml.Regression.Trainers.Ols(new OlsTrainer.Options { CalculateStatistics = statistics }).Fit(data);
            var loaded = (RegressionPredictionTransformer<OlsModelParameters>)RoundTrip(ols, data.Schema);
            AssertSameOutputs(ols, loaded, data);
            Assert.AreEqual(ols.Model.RSquared, loaded.Model.RSquared);
            Assert.AreEqual(ols.Model.RSquaredAdjusted, loaded.Model.RSquaredAdjusted);
            Assert.AreEqual(statistics, loaded.Model.HasStatistics);
            if (statistics)
            {
                CollectionAssert.AreEqual(ols.Model.StandardErrors!.ToArray(), loaded.Model.StandardErrors!.ToArray());
                CollectionAssert.AreEqual(ols.Model.TValues!.ToArray(), loaded.Model.TValues!.ToArray());
                CollectionAssert.AreEqual(ols.Model.PValues!.ToArray(), loaded.Model.PValues!.ToArray());
            }
        }
    }

    [TestMethod]
    public void MulticlassTransformersRoundTripWithTheirLabelKeyValues()
    {
        var ml = new MLContext(seed: 1);
        var raw = ml.Data.LoadFromEnumerable(TrainerRows.Classes(seed: 1, perClass: 20));
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(raw).Transform(raw);
        foreach (var trainer in new IEstimator<MulticlassPredictionTransformer<MaximumEntropyModelParameters>>[]
            { ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(), ml.MulticlassClassification.Trainers.SdcaMaximumEntropy() })
        {
            var model = trainer.Fit(data);
            var loaded = (MulticlassPredictionTransformer<MaximumEntropyModelParameters>)RoundTrip(model, data.Schema);
            AssertSameOutputs(model, loaded, data);
            var expectedWeights = default(VBuffer<float>[]);
            var actualWeights = default(VBuffer<float>[]);
            model.Model.GetWeights(ref expectedWeights!, out int classes);
            loaded.Model.GetWeights(ref actualWeights!, out int loadedClasses);
            Assert.AreEqual(3, classes);
            Assert.AreEqual(classes, loadedClasses);
            for (int c = 0; c < classes; c++)
                CollectionAssert.AreEqual(expectedWeights[c].DenseValues().ToArray(), actualWeights[c].DenseValues().ToArray());
            CollectionAssert.AreEqual(model.Model.GetBiases().ToArray(), loaded.Model.GetBiases().ToArray());

            // MapKeyToValue after the loaded transformer restores the text labels from the saved key values.
            var back = ml.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(loaded.Transform(data)).Transform(loaded.Transform(data));
            var labels = back.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(v => v.ToString()).ToArray();
            CollectionAssert.IsSubsetOf(labels.Distinct().ToArray(), new[] { "a", "b", "c" });
        }
    }

    [TestMethod]
    public void LoadedBinaryChainPredictsThroughAPredictionEngine()
    {
        var ml = new MLContext(seed: 1);
        var rows = TrainerRows.Binary(seed: 1, count: 100);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Transforms.NormalizeMeanVariance("Features").Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression()).Fit(data);
        var loaded = RoundTrip(model, data.Schema);
        using var engine = new MLContext().Model.CreatePredictionEngine<BinaryRow, BinaryPrediction>(loaded);
        var scored = model.Transform(data);
        var scores = TrainerRows.Floats(scored, "Score");
        var probabilities = TrainerRows.Floats(scored, "Probability");
        var predicted = TrainerRows.Bools(scored, "PredictedLabel");
        for (int i = 0; i < rows.Length; i++)
        {
            var prediction = engine.Predict(rows[i]);
            Assert.AreEqual(scores[i], prediction.Score, $"row {i}");
            Assert.AreEqual(probabilities[i], prediction.Probability, $"row {i}");
            Assert.AreEqual(predicted[i], prediction.PredictedLabel, $"row {i}");
        }
    }

    [TestMethod]
    public void LoadingRejectsAModelThatDoesNotFitItsTransformer()
    {
        var ml = new MLContext(seed: 1);
        var raw = ml.Data.LoadFromEnumerable(TrainerRows.Classes(seed: 1, perClass: 10));
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(raw).Transform(raw);
        using var stream = new MemoryStream();
        ml.Model.Save(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy().Fit(data), data.Schema, stream);
        var entries = Model.ModelZipTool.Entries(stream.ToArray());
        string component = entries.Keys.Single(k => k.EndsWith("component.json", StringComparison.Ordinal) && !k.Contains("/sub/", StringComparison.Ordinal));

        byte[] Edit(string from, string to, params string[] names)
        {
            var edited = new Dictionary<string, byte[]>(entries);
            foreach (string name in names)
                edited[name] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(entries[name]).Replace(from, to, StringComparison.Ordinal));
            return Model.ModelZipTool.Build(edited);
        }

        var asBinary = Edit("MulticlassPredictionTransformer", "BinaryPredictionTransformer", component, "manifest.json");
        var error = Assert.ThrowsException<InvalidDataException>(() => ml.Model.Load(new MemoryStream(asBinary), out _));
        StringAssert.Contains(error.Message, "MaximumEntropyModelParameters cannot be used here");

        var wrongCount = Edit("Key<UInt32, 3>", "Key<UInt32, 4>", component);
        error = Assert.ThrowsException<InvalidDataException>(() => ml.Model.Load(new MemoryStream(wrongCount), out _));
        StringAssert.Contains(error.Message, "with 3 values (one per class)");
    }

    [TestMethod]
    public void EveryTrainerKindIsOnTheAllowList()
    {
        string[] kinds =
        [
            "BinaryPredictionTransformer", "MulticlassPredictionTransformer", "RegressionPredictionTransformer",
            "LinearBinaryModelParameters", "LinearRegressionModelParameters", "OlsModelParameters",
            "MaximumEntropyModelParameters", "PlattCalibrator", "CalibratedModelParameters",
        ];
        foreach (string kind in kinds)
            Assert.IsTrue(ModelLoadRegistry.IsRegistered(kind), kind);
    }
}
