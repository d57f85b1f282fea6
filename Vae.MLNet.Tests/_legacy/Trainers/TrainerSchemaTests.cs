using Vae.MLNet.Data;
using Vae.MLNet.Trainers;

namespace Vae.MLNet.Tests.Trainers;

/// <summary>Schema propagation of the trainer estimators and the errors they raise for bad columns and labels.</summary>
[TestClass]
public sealed class TrainerSchemaTests
{
    private sealed class KeyRow
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];

        [KeyType(3)]
        public uint Label { get; set; }
    }

    private static IDataView KeyedClasses(MLContext ml, int perClass = 20)
    {
        var data = ml.Data.LoadFromEnumerable(TrainerRows.Classes(seed: 1, perClass));
        return ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
    }

    private static SchemaShape.Column Find(SchemaShape shape, string name) =>
        shape.TryFindColumn(name, out var column) ? column : throw new AssertFailedException($"no column '{name}' in {shape}");

    private static void AssertScalar(SchemaShape shape, string name, DataViewType itemType, bool isKey = false)
    {
        var column = Find(shape, name);
        Assert.AreEqual(SchemaShape.VectorKind.Scalar, column.Kind, name);
        Assert.AreEqual(itemType, column.ItemType, name);
        Assert.AreEqual(isKey, column.IsKey, name);
    }

    /// <summary>Every column a fitted transformer adds matches the shape its estimator announced.</summary>
    private static void AssertShapeMatches(SchemaShape shape, DataViewSchema schema)
    {
        foreach (var column in schema.Where(c => !c.IsHidden))
        {
            var actual = SchemaShape.FromColumn(column.Name, column.Type, column.Annotations);
            Assert.IsTrue(Find(shape, column.Name).IsCompatibleWith(actual), $"{column.Name}: announced {Find(shape, column.Name)}, produced {actual}");
        }
        Assert.AreEqual(schema.Count(c => !c.IsHidden), shape.Count);
    }

    [TestMethod]
    public void MulticlassShapesCarryTheLabelsKeyValues()
    {
        var ml = new MLContext(seed: 1);
        var data = KeyedClasses(ml);
        IEstimator<ITransformer>[] trainers =
            [ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(), ml.MulticlassClassification.Trainers.SdcaMaximumEntropy()];
        foreach (var trainer in trainers)
        {
            var shape = trainer.GetOutputSchema(SchemaShape.Create(data.Schema));
            var score = Find(shape, "Score");
            Assert.AreEqual(SchemaShape.VectorKind.Vector, score.Kind);
            Assert.AreEqual(NumberDataViewType.Single, score.ItemType);
            Assert.IsTrue(score.Annotations.TryFindColumn(AnnotationUtils.Kinds.SlotNames, out _), "Score has the class names as slot names");
            AssertScalar(shape, "PredictedLabel", NumberDataViewType.UInt32, isKey: true);
            Assert.IsTrue(Find(shape, "PredictedLabel").Annotations.TryFindColumn(AnnotationUtils.Kinds.KeyValues, out _));

            var output = trainer.Fit(data).Transform(data);
            AssertShapeMatches(shape, output.Schema);
            var names = default(VBuffer<ReadOnlyMemory<char>>);
            output.Schema["Score"].GetSlotNames(ref names);
            CollectionAssert.AreEqual(new[] { "a", "b", "c" }, names.DenseValues().Select(n => n.ToString()).ToArray());
            Assert.AreEqual(new KeyDataViewType(typeof(uint), 3), output.Schema["PredictedLabel"].Type);
        }

        var chain = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy())
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var raw = ml.Data.LoadFromEnumerable(TrainerRows.Classes(seed: 1, 5));
        AssertScalar(chain.GetOutputSchema(SchemaShape.Create(raw.Schema)), "PredictedLabel", TextDataViewType.Instance);
    }

    [TestMethod]
    public void BinaryAndRegressionShapesMatchTheirTransformers()
    {
        var ml = new MLContext(seed: 1);
        var binary = ml.Data.LoadFromEnumerable(TrainerRows.Binary(seed: 1, count: 50));
        var regression = ml.Data.LoadFromEnumerable(TrainerRows.Regression(seed: 1, count: 50));
        var cases = new (IEstimator<ITransformer> Trainer, IDataView Data)[]
        {
            (ml.BinaryClassification.Trainers.LbfgsLogisticRegression(), binary),
            (ml.BinaryClassification.Trainers.SdcaLogisticRegression(), binary),
            (ml.Regression.Trainers.Sdca(), regression),
            (ml.Regression.Trainers.Ols(), regression),
        };
        foreach (var (trainer, data) in cases)
        {
            var shape = trainer.GetOutputSchema(SchemaShape.Create(data.Schema));
            AssertScalar(shape, "Score", NumberDataViewType.Single);
            if (data == binary)
            {
                AssertScalar(shape, "Probability", NumberDataViewType.Single);
                AssertScalar(shape, "PredictedLabel", BooleanDataViewType.Instance);
            }
            AssertShapeMatches(shape, trainer.Fit(data).Transform(data).Schema);
        }
    }

    [TestMethod]
    public void TrainersExposeTheirColumns()
    {
        var ml = new MLContext();
        var trainer = ml.Regression.Trainers.Ols("Target", "X", "W");
        Assert.AreEqual("X", trainer.FeatureColumn.Name);
        Assert.AreEqual("Target", trainer.LabelColumn.Name);
        Assert.AreEqual("W", trainer.WeightColumn.Name);
        Assert.IsFalse(ml.Regression.Trainers.Ols().WeightColumn.IsValid);
        Assert.IsTrue(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy().LabelColumn.IsKey);
    }

    /// <summary>Both schema propagation and Fit reject <paramref name="data"/>, naming what was expected.</summary>
    private static void AssertRejected<TTransformer>(IEstimator<TTransformer> trainer, IDataView data, params string[] fragments)
        where TTransformer : ITransformer
    {
        var shapeError = Assert.ThrowsException<ArgumentOutOfRangeException>(() => trainer.GetOutputSchema(SchemaShape.Create(data.Schema)));
        var fitError = Assert.ThrowsException<ArgumentOutOfRangeException>(() => trainer.Fit(data));
        foreach (string fragment in fragments)
        {
            StringAssert.Contains(shapeError.Message, fragment);
            StringAssert.Contains(fitError.Message, fragment);
        }
    }

    [TestMethod]
    public void WrongLabelTypesAreRejectedWithTheColumnAndTheExpectedType()
    {
        var ml = new MLContext();
        var classes = ml.Data.LoadFromEnumerable(TrainerRows.Classes(seed: 1, 5));
        AssertRejected(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(), classes, "label column 'Label'", "key of UInt32", "String");
        AssertRejected(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(), classes, "label column 'Label'", "MapValueToKey");
        var regression = ml.Data.LoadFromEnumerable(TrainerRows.Regression(seed: 1, 5));
        AssertRejected(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(), regression, "label column 'Label'", "expected Boolean", "Single");
        AssertRejected(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(), regression, "label column 'Label'", "key");
        var binary = ml.Data.LoadFromEnumerable(TrainerRows.Binary(seed: 1, 5));
        AssertRejected(ml.Regression.Trainers.Ols(), binary, "label column 'Label'", "expected Single", "Boolean");
        AssertRejected(ml.Regression.Trainers.Sdca(labelColumnName: "Missing"), binary, "label column 'Missing'");
    }

    [TestMethod]
    public void WrongFeatureAndWeightColumnsAreRejected()
    {
        var ml = new MLContext();
        var binary = ml.Data.LoadFromEnumerable(TrainerRows.Binary(seed: 1, 5));
        AssertRejected(ml.BinaryClassification.Trainers.SdcaLogisticRegression(featureColumnName: "Nope"), binary, "feature column 'Nope'");
        AssertRejected(ml.BinaryClassification.Trainers.SdcaLogisticRegression(featureColumnName: "Label"), binary, "feature column 'Label'", "vector of Single", "Boolean");
        AssertRejected(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(exampleWeightColumnName: "Label"), binary, "weight column 'Label'", "Single");
        AssertRejected(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(exampleWeightColumnName: "W"), binary, "weight column 'W'");
    }

    [TestMethod]
    public void KeysOutsideTheLabelTypeAreAnErrorAndMissingKeysAreSkipped()
    {
        var ml = new MLContext();
        var outside = ml.Data.LoadFromEnumerable(new[]
        {
            new KeyRow { Features = [0, 1], Label = 1 },
            new KeyRow { Features = [1, 0], Label = 2 },
            new KeyRow { Features = [1, 1], Label = 5 },
        });
        var error = Assert.ThrowsException<InvalidOperationException>(() => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy().Fit(outside));
        StringAssert.Contains(error.Message, "Label column 'Label' holds key 5 at row 2");
        StringAssert.Contains(error.Message, "keys 1 to 3");

        var unseen = ml.Data.LoadFromEnumerable(new[] { new KeyRow { Features = [0, 1], Label = 0 }, new KeyRow { Features = [1, 0], Label = 0 } });
        error = Assert.ThrowsException<InvalidOperationException>(() => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy().Fit(unseen));
        StringAssert.Contains(error.Message, "no usable rows");
        StringAssert.Contains(error.Message, "2 with a missing label in 'Label'");
    }

    [TestMethod]
    public void RowsWithMissingValuesAreSkippedWithAWarning()
    {
        var clean = TrainerRows.Regression(seed: 3, count: 60);
        var dirty = clean.Concat(
        [
            new RegressionRow { Features = [float.NaN, 1, 2], Label = 100 },
            new RegressionRow { Features = [1, float.PositiveInfinity, 2], Label = 100 },
            new RegressionRow { Features = [1, 1, 2], Label = float.NaN },
            new RegressionRow { Features = [1, 1, 2], Label = 100, Weight = -1 },
        ]).ToArray();
        var ml = new MLContext();
        var warnings = new List<string>();
        ml.Log += (_, e) =>
        {
            if (e.Kind == ChannelMessageKind.Warning)
                warnings.Add(e.RawMessage);
        };
        var trainer = ml.Regression.Trainers.Ols(exampleWeightColumnName: "Weight");
        var expected = trainer.Fit(ml.Data.LoadFromEnumerable(clean)).Model;
        var actual = trainer.Fit(ml.Data.LoadFromEnumerable(dirty)).Model;
        CollectionAssert.AreEqual(expected.Weights.ToArray(), actual.Weights.ToArray());
        Assert.AreEqual(expected.Bias, actual.Bias);
        Assert.AreEqual(1, warnings.Count, string.Join("\n", warnings));
        StringAssert.Contains(warnings[0], "Skipped 4 of 64 training rows: 1 with a missing label in 'Label'; 2 with NaN or infinite features in 'Features'; 1 with a negative or non-finite weight in 'Weight'");
    }

    [TestMethod]
    public void ExampleWeightsReachTheSolver()
    {
        // Rows of weight 0 with wild labels change nothing; doubling every weight changes nothing either.
        var clean = TrainerRows.Regression(seed: 3, count: 60);
        var random = new Random(9);
        var noisy = clean.Concat(TrainerRows.Regression(seed: 4, count: 30).Select(r => new RegressionRow { Features = r.Features, Label = 50 * random.NextSingle(), Weight = 0 })).ToArray();
        var ml = new MLContext();
        var trainer = ml.Regression.Trainers.Ols(new OlsTrainer.Options { ExampleWeightColumnName = "Weight", L2Regularization = 0 });
        var expected = trainer.Fit(ml.Data.LoadFromEnumerable(clean)).Model;
        var weighted = trainer.Fit(ml.Data.LoadFromEnumerable(noisy)).Model;
        Data.TestData.AreClose(expected.Weights.ToArray(), weighted.Weights.ToArray(), 1e-4f);
        Assert.AreEqual(expected.Bias, weighted.Bias, 1e-4);
        var unweighted = ml.Regression.Trainers.Ols().Fit(ml.Data.LoadFromEnumerable(noisy)).Model;
        Assert.IsTrue(Math.Abs(unweighted.Bias - expected.Bias) > 1, "without the weight column the wild rows pull the fit");
    }

    [TestMethod]
    public void TrainingStreamsTheSourceEveryPass()
    {
        var rows = TrainerRows.Binary(seed: 1, count: 100);
        var source = new Data.CountingEnumerable<BinaryRow>(rows);
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(source);
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression();
        Assert.AreEqual(0, source.Pulled, "creating the view reads nothing");
        var model = trainer.Fit(data);
        Assert.IsTrue(source.Pulled > 3 * rows.Length && source.Pulled % rows.Length == 0, $"{source.Pulled} rows pulled: whole passes, more than three");
        int pulled = source.Pulled;
        var scored = model.Transform(data);
        Assert.AreEqual(pulled, source.Pulled, "Transform is lazy");
        Assert.AreEqual(rows.Length, TrainerRows.Floats(scored, "Score").Length);
    }

    [TestMethod]
    public void PredictionTransformersCheckTheFeatureColumn()
    {
        var ml = new MLContext();
        var model = ml.Regression.Trainers.Ols().Fit(ml.Data.LoadFromEnumerable(TrainerRows.Regression(seed: 1, 20)));
        var classes = ml.Data.LoadFromEnumerable(TrainerRows.Classes(seed: 1, 5));
        var error = Assert.ThrowsException<ArgumentOutOfRangeException>(() => model.Transform(classes));
        StringAssert.Contains(error.Message, "feature column 'Features'");
        StringAssert.Contains(error.Message, "3 values");
        Assert.AreEqual("Features", model.FeatureColumnName);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3), model.FeatureColumnType);
    }
}
