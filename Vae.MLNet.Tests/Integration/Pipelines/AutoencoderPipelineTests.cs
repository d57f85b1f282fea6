using Microsoft.ML;
using Microsoft.ML.Data;

using static Vae.MLNet.Tests.Support.AutoencoderData;
using Vae.MLNet.Tests.Support;
using Vae.MLNet.Tests.Support.ModelFiles;

namespace Vae.MLNet.Tests.Integration.Pipelines;

/// <summary>AutoencoderEncode through ML.NET: Fit, Transform, PredictionEngine, a trainer downstream, the direct methods, and the errors of bad options and data.</summary>
[TestClass]
public sealed class AutoencoderPipelineTests
{
    [TestMethod]
    public void FitLearnsAndTransformAppendsTheCodeAndTheReconstruction()
    {
        var ml = new MLContext(seed: 1);
        var view = View(ml);
        using var autoencoder = ml.Transforms.AutoencoderEncode(Options()).Fit(view);
        var history = autoencoder.TrainingHistory;
        Assert.HasCount(15, history);
        Assert.IsLessThan(history[0].ReconstructionLoss * 0.6, history[^1].ReconstructionLoss, $"{history[0]} → {history[^1]}");
        Assert.IsTrue(history.All(h => h.SparsityPenalty == 0 && h.ContractivePenalty == 0 && h.Loss == h.ReconstructionLoss));

        var transformed = autoencoder.Transform(view);
        var latent = transformed.Schema["Latent"];
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3), latent.Type);
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        latent.GetSlotNames(ref names);
        CollectionAssert.AreEqual(new[] { "z0", "z1", "z2" }, names.DenseValues().Select(n => n.ToString()).ToArray());
        Assert.AreEqual(26, ((VectorDataViewType)transformed.Schema["Reconstruction"].Type).Size);

        // The reconstruction explains most of the variance of the data (3 factors in 26 columns, 1 − 0.09 of it structured).
        var codes = TabularData.Column(transformed, "Latent");
        var reconstructions = TabularData.Column(transformed, "Reconstruction");
        double error = Data.Value.Features.Zip(reconstructions, (x, r) => x.Zip(r, (a, b) => (double)(a - b) * (a - b)).Sum()).Average();
        double total = Data.Value.Features.Select(x => x.Sum(v => (double)v * v)).Average();
        Assert.IsLessThan(0.35 * total, error, $"squared error {error:F2} of {total:F2}");

        // The direct methods and PredictionEngine give the batched values.
        for (int row = 0; row < 5; row++)
        {
            CollectionAssert.AreEqual(codes[row], autoencoder.Encode(Data.Value.Features[row]), new Tolerance(1e-5f));
            CollectionAssert.AreEqual(reconstructions[row], autoencoder.Reconstruct(Data.Value.Features[row]), new Tolerance(1e-5f));
        }
        var engine = ml.Model.CreatePredictionEngine<TabularRow, CodeRow>(autoencoder, inputSchemaDefinition: Schema());
        CollectionAssert.AreEqual(codes[7], engine.Predict(new TabularRow { Features = Data.Value.Features[7] }).Latent, new Tolerance(1e-5f));
    }

    private static SchemaDefinition Schema()
    {
        var schema = SchemaDefinition.Create(typeof(TabularRow));
        schema[nameof(TabularRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 26);
        return schema;
    }

    public sealed class CodeRow
    {
        public float[] Latent { get; set; } = [];
    }

    [TestMethod]
    public void TheCodeFeedsAnMLNetTrainer()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(View(ml), testFraction: 0.3, seed: 2);
        var pipeline = ml.Transforms.AutoencoderEncode(Options())
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(featureColumnName: "Latent"));
        var model = pipeline.Fit(split.TrainSet);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(split.TestSet));
        Console.WriteLine($"AUC {metrics.AreaUnderRocCurve:F3}, accuracy {metrics.Accuracy:F3}");
        Assert.IsGreaterThan(0.85, metrics.AreaUnderRocCurve);
        ModelLoadCheck.Dispose(model);
    }

    [TestMethod]
    public void TheEstimatorsSchemaIsTheTransformers()
    {
        var ml = new MLContext(seed: 1);
        var view = View(ml);
        var estimator = ml.Transforms.AutoencoderEncode(Options(o => { o.Epochs = 1; o.LatentColumnName = "Code"; }));
        var shape = estimator.GetOutputSchema(Shapes.Of(view.Schema));
        using var autoencoder = estimator.Fit(view);
        var schema = autoencoder.GetOutputSchema(view.Schema);
        CollectionAssert.AreEqual(schema.Select(c => c.Name).ToArray(), shape.Select(c => c.Name).ToArray());
        Assert.AreEqual("Code", autoencoder.LatentColumnName);
        Assert.AreEqual(SchemaShape.Column.VectorKind.Vector, shape.Single(c => c.Name == "Code").Kind);
    }

    [TestMethod]
    public void BadOptionsAreRefusedByName()
    {
        var ml = new MLContext(seed: 1);
        var cases = new (Action<AutoencoderOptions> Change, string Name)[]
        {
            (o => o.LatentDimension = 0, "LatentDimension"), (o => o.Epochs = 0, "Epochs"), (o => o.BatchSize = -1, "BatchSize"),
            (o => o.HiddenDimensions = [8, 0], "HiddenDimensions"), (o => o.LearningRate = double.NaN, "LearningRate"),
            (o => o.SparsityWeight = -1, "SparsityWeight"), (o => o.ContractiveWeight = double.PositiveInfinity, "ContractiveWeight"),
            (o => o.SparsityTarget = 1, "SparsityTarget"), (o => o.Sparsity = AutoencoderSparsity.KlToTarget, "Sigmoid"),
            (o => o.Sparsity = (AutoencoderSparsity)9, "Sparsity"), (o => o.LatentActivation = (AutoencoderLatentActivation)9, "LatentActivation"),
            (o => { o.Corruption = CorruptionKind.Masking; o.CorruptionLevel = 1; }, "CorruptionLevel"),
            (o => o.ReconstructionColumnName = "Latent", "LatentColumnName"), (o => o.InputColumnName = " ", "InputColumnName"),
            (o => o.TrainingThreads = -1, "TrainingThreads"),
        };
        foreach (var (change, name) in cases)
        {
            var error = Assert.Throws<ArgumentException>(() => ml.Transforms.AutoencoderEncode(Options(change)));
            StringAssert.Contains(error.Message, name);
        }
    }

    [TestMethod]
    public void BadDataIsRefusedNamingColumnRowAndSlot()
    {
        var ml = new MLContext(seed: 1);
        var rows = Data.Value.Features.Select(r => (float[])r.Clone()).ToArray();
        rows[4][7] = float.NaN;
        var fit = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.AutoencoderEncode(Options(o => o.Epochs = 1)).Fit(ml.Data.Cache(View(ml, rows))));
        foreach (string part in new[] { "Column 'Features'", "row 4", "slot 7" }) StringAssert.Contains(fit.Message, part);

        var bernoulli = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.AutoencoderEncode(Options(o => { o.Epochs = 1; o.ReconstructionLoss = ReconstructionLoss.BinaryCrossEntropy; })).Fit(View(ml)));
        StringAssert.Contains(bernoulli.Message, "[0, 1]");

        using var autoencoder = ml.Transforms.AutoencoderEncode(Options(o => o.Epochs = 1)).Fit(View(ml));
        var transform = Assert.ThrowsExactly<InvalidOperationException>(() => TabularData.Column(autoencoder.Transform(View(ml, rows)), "Latent"));
        foreach (string part in new[] { "Column 'Features'", "row 4", "slot 7" }) StringAssert.Contains(transform.Message, part);

        var missing = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.AutoencoderEncode(Options(o => o.InputColumnName = "Pixels")).Fit(View(ml)));
        StringAssert.Contains(missing.Message, "'Pixels'");
        var scalar = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.AutoencoderEncode(Options(o => o.InputColumnName = "Label")).Fit(View(ml)));
        StringAssert.Contains(scalar.Message, "vector of Single");
        var wrongSize = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => autoencoder.Transform(View(ml, [.. rows.Select(r => r[..20])])));
        StringAssert.Contains(wrongSize.Message, "size 26");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => autoencoder.Encode(new float[25])).Message, "26");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => autoencoder.Decode([1, float.NaN, 0])).Message, "NaN");
        Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.AutoencoderEncode(Options()).Fit(ml.Data.SkipRows(View(ml), 10_000)));
    }

    [TestMethod]
    public void FitStopsWhenCancelled()
    {
        var ml = new MLContext(seed: 1);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsExactly<OperationCanceledException>(() => ml.Transforms.AutoencoderEncode(Options(o => o.CancellationToken = cancel.Token)).Fit(View(ml)));
    }

    [TestMethod]
    public void ASeededFitRepeats()
    {
        var ml = new MLContext(seed: 1);
        using var first = ml.Transforms.AutoencoderEncode(Options(o => { o.Epochs = 2; o.Corruption = CorruptionKind.Gaussian; })).Fit(View(ml));
        using var second = ml.Transforms.AutoencoderEncode(Options(o => { o.Epochs = 2; o.Corruption = CorruptionKind.Gaussian; })).Fit(View(ml));
        CollectionAssert.AreEqual(first.Encode(Data.Value.Features[0]), second.Encode(Data.Value.Features[0]));
    }
}
