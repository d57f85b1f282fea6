using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Tests.Support;
using Vae.MLNet.Tests.Support.ModelFiles;

namespace Vae.MLNet.Tests.Integration.Tabular;

/// <summary>MissingValues and SlotLikelihoods through the estimator: checks, Fit and Transform with NaN, PredictionEngine, the model zip, ONNX and the one-hot helper.</summary>
[TestClass]
public sealed class MissingValuesPipelineTests
{
    private static readonly Lazy<(TabularSet Data, float[][] Masked)> Small = new(() =>
    {
        var data = TabularData.Structured(300, seed: 8);
        return (data, TabularData.RemoveAtRandom(data, 0.2, seed: 9));
    });

    private static VaeOptions Options(Action<VaeOptions>? change = null)
    {
        var o = new VaeOptions
        {
            LatentDimension = 3, HiddenDimensions = [16], Epochs = 4, BatchSize = 50, LearningRate = 3e-3, Seed = 2,
            MissingValues = VaeMissingValues.Mask, SlotLikelihoods = Small.Value.Data.Slots,
        };
        change?.Invoke(o);
        return o;
    }

    private static IDataView View(MLContext ml, float[][]? rows = null) => TabularData.Load(ml, rows ?? Small.Value.Masked, Small.Value.Data.Labels[..(rows ?? Small.Value.Masked).Length]);

    [TestMethod]
    public void NaNWithRefuseIsAnErrorNamingColumnRowAndSlotAndTheOption()
    {
        var ml = new MLContext(seed: 1);
        var rows = Small.Value.Data.Features.Select(r => (float[])r.Clone()).ToArray();
        rows[3][2] = float.NaN;
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.VaeEncode(Options(o => o.MissingValues = VaeMissingValues.Refuse)).Fit(View(ml, rows)));
        foreach (string part in new[] { "Column 'Features'", "row 3", "slot 2", "MissingValues = Mask" }) StringAssert.Contains(error.Message, part);
        // And at Transform, by a model fitted without NaN.
        using var vae = ml.Transforms.VaeEncode(Options(o => o.MissingValues = VaeMissingValues.Refuse)).Fit(View(ml, Small.Value.Data.Features));
        var transformError = Assert.ThrowsExactly<InvalidOperationException>(() => vae.Transform(View(ml, rows)).GetColumn<VBuffer<float>>("LatentMean").ToArray());
        foreach (string part in new[] { "Column 'Features'", "row 3", "slot 2" }) StringAssert.Contains(transformError.Message, part);
    }

    [TestMethod]
    public void ValuesTheSlotsCannotHoldAreRefusedNamingRowAndSlot()
    {
        var ml = new MLContext(seed: 1);
        var rows = Small.Value.Masked.Select(r => (float[])r.Clone()).ToArray();
        Array.Fill(rows[5], 0f, 22, 4);
        rows[5][23] = float.NaN;  // one slot of the categorical group 22–25 missing, the others not
        var partial = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.VaeEncode(Options()).Fit(View(ml, rows)));
        foreach (string part in new[] { "row 5", "slot 23", "categorical group" }) StringAssert.Contains(partial.Message, part);
        rows[5][23] = 0;
        rows[7][20] = 2;  // a Bernoulli slot
        var bernoulli = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.VaeEncode(Options()).Fit(View(ml, rows)));
        foreach (string part in new[] { "row 7", "slot 20", "[0, 1]" }) StringAssert.Contains(bernoulli.Message, part);
        rows[7][20] = 1;
        rows[9][4] = float.PositiveInfinity;
        var infinite = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.VaeEncode(Options()).Fit(View(ml, rows)));
        foreach (string part in new[] { "row 9", "slot 4", "finite" }) StringAssert.Contains(infinite.Message, part);
    }

    [TestMethod]
    public void SlotRangesThatOverlapOrRunPastTheVectorAreRefusedNamingTheOption()
    {
        var ml = new MLContext(seed: 1);
        var overlap = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.VaeEncode(Options(o => o.SlotLikelihoods = [new(2, 4, VaeSlotKind.Categorical), new(5, 1, VaeSlotKind.Bernoulli)])));
        Assert.AreEqual("SlotLikelihoods", overlap.ParamName);
        StringAssert.Contains(overlap.Message, "overlap (slot 5 is in both)");
        var past = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.VaeEncode(Options(o => o.SlotLikelihoods = [new(24, 3, VaeSlotKind.Categorical)])).Fit(View(ml)));
        Assert.AreEqual("SlotLikelihoods", past.ParamName);
        StringAssert.Contains(past.Message, "runs past the input vector of 26 slots");
        foreach (var (bad, fragment) in new (VaeSlotLikelihood, string)[]
                 {
                     (new(3, 1, VaeSlotKind.Categorical), "at least 2 slots"), (new(-1, 2, VaeSlotKind.Bernoulli), "at least 0"),
                     (new(1, 0, VaeSlotKind.Bernoulli), "length at least 1"), (new(1, 2, (VaeSlotKind)7), "not defined"),
                 })
        {
            var error = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.VaeEncode(Options(o => o.SlotLikelihoods = [bad])), bad.ToString());
            Assert.AreEqual("SlotLikelihoods", error.ParamName);
            StringAssert.Contains(error.Message, fragment);
        }
        var gaussianUnderBernoulli = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.VaeEncode(Options(o =>
        {
            o.Likelihood = VaeLikelihood.Bernoulli;
            o.SlotLikelihoods = [new(0, 2, VaeSlotKind.Gaussian)];
        })));
        StringAssert.Contains(gaussianUnderBernoulli.Message, "Likelihood = Gaussian");
        var convolutional = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.VaeEncode(Options(o =>
        {
            o.Architecture = VaeArchitecture.Convolutional;
            o.SlotLikelihoods = null;
        })));
        Assert.AreEqual("MissingValues", convolutional.ParamName);
        StringAssert.Contains(convolutional.Message, "only Architecture = Mlp");
        StringAssert.Contains(convolutional.Message, "Architecture = Convolutional", "the message names the option it conflicts with");
        Assert.AreEqual("MissingValues", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.VaeEncode(Options(o => o.MissingValues = (VaeMissingValues)5))).ParamName);
    }

    [TestMethod]
    public void FitAndTransformTakeNaNAndTheReconstructionFillsIt()
    {
        var ml = new MLContext(seed: 1);
        var view = View(ml);
        using var vae = ml.Transforms.VaeEncode(Options()).Fit(view);
        Assert.IsTrue(vae.TrainingHistory.All(h => double.IsFinite(h.Loss)));
        var transformed = vae.Transform(view);
        var means = TabularData.Column(transformed, "LatentMean");
        var reconstruction = TabularData.Column(transformed, "Reconstruction");
        Assert.IsTrue(means.All(r => r.All(float.IsFinite)) && reconstruction.All(r => r.All(float.IsFinite)));
        foreach (var row in reconstruction)
        {
            Assert.IsTrue(row[20] is > 0 and < 1 && row[21] is > 0 and < 1, "Bernoulli slots hold probabilities");
            Assert.AreEqual(1.0, row[22..26].Sum(), 1e-5, "a categorical group's probabilities sum to 1");
        }
        // PredictionEngine's one row (the managed kernel steps aside for the mask channel) and the direct Encode agree with the batch.
        var engine = ml.Model.CreatePredictionEngine<TabularRow, Output>(vae, inputSchemaDefinition: Schema(26));
        for (int r = 0; r < 5; r++)
        {
            var one = engine.Predict(new TabularRow { Features = Small.Value.Masked[r] });
            TensorChecks.Close(means[r], one.LatentMean, 1e-5, $"row {r}");
            TensorChecks.Close(reconstruction[r], one.Reconstruction, 1e-5, $"row {r}");
            TensorChecks.Close(means[r], vae.Encode(Small.Value.Masked[r]).Mean, 1e-5, $"row {r}");
        }
        Assert.IsTrue(Small.Value.Masked[..5].Any(r => r.Any(float.IsNaN)), "the rows compared have missing values");
        var metrics = vae.Evaluate(view, importanceSamples: 4);
        Assert.IsTrue(double.IsFinite(metrics.Elbo) && double.IsFinite(metrics.ImportanceWeightedBound!.Value));
    }

    [TestMethod]
    public void MaskCombinesWithAFlowAndIterativeInference()
    {
        // Both read the data only through the (masked) likelihood, so NaN rows train and encode with them too.
        var ml = new MLContext(seed: 1);
        var view = View(ml);
        using var vae = ml.Transforms.VaeEncode(Options(o => { o.FlowSteps = 2; o.InferenceIterations = 2; })).Fit(view);
        Assert.IsTrue(vae.TrainingHistory.All(h => double.IsFinite(h.Loss) && double.IsFinite(h.KlDivergence)));
        var transformed = vae.Transform(view);
        Assert.IsTrue(TabularData.Column(transformed, "LatentMean").All(r => r.All(float.IsFinite)));
        Assert.IsTrue(TabularData.Column(transformed, "Reconstruction").All(r => r.All(float.IsFinite)));
        var metrics = vae.Evaluate(view, importanceSamples: 10, seed: 3);
        Assert.IsTrue(double.IsFinite(metrics.Elbo) && metrics.ImportanceWeightedBound >= metrics.Elbo - 1, $"ELBO {metrics.Elbo}, IWAE {metrics.ImportanceWeightedBound}");
    }

    [TestMethod]
    public void TheOptionsRoundTripThroughTheModelZipAndAreCheckedOnLoad()
    {
        var ml = new MLContext(seed: 1);
        var view = View(ml);
        using var vae = ml.Transforms.VaeEncode(Options()).Fit(view);
        string path = Path.Combine(Path.GetTempPath(), $"vae-missing-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(vae, view.Schema, path);
            var bytes = File.ReadAllBytes(path);
            string json = Encoding.UTF8.GetString(ModelZip.VaeEntry(bytes, ModelZip.Settings));
            StringAssert.Contains(json, "\"MissingValues\"");
            StringAssert.Contains(json, "\"SlotLikelihoods\"");
            var loaded = new MLContext().Model.Load(path, out _);
            using (loaded as IDisposable)
            {
                Assert.AreEqual(VaeMissingValues.Mask, ((VaeTransformer)loaded).Network.Spec.MissingValues);
                foreach (string column in new[] { "LatentMean", "Reconstruction" })
                {
                    var before = TabularData.Column(vae.Transform(view), column);
                    var after = TabularData.Column(loaded.Transform(view), column);
                    for (int r = 0; r < before.Length; r++) CollectionAssert.AreEqual(before[r], after[r], $"{column}, row {r}");
                }
            }
            foreach (var (edit, fragment) in new (Action<JsonObject>, string)[]
                     {
                         (j => ModelZip.Set(j, "Spec/SlotLikelihoods/1/Start", 20), "overlap"),
                         (j => ModelZip.Set(j, "Spec/SlotLikelihoods/2/Length", 5), "runs past"),
                         (j => ModelZip.Set(j, "Spec/SlotLikelihoods/0/Kind", 9), "not defined"),
                         (j => ModelZip.Set(j, "Spec/SlotLikelihoods/0", null), "is null"),
                         (j => ModelZip.Set(j, "Spec/MissingValues", 3), "MissingValues 3"),
                     })
                ModelLoadCheck.ExpectRejected(ModelZip.EditSettings(bytes, edit), view, fragment);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void APlainModelsFileHasNeitherField()
    {
        var ml = new MLContext(seed: 1);
        var view = View(ml, Small.Value.Data.Features);
        using var vae = ml.Transforms.VaeEncode(Options(o => { o.MissingValues = VaeMissingValues.Refuse; o.SlotLikelihoods = null; })).Fit(view);
        using var stream = new MemoryStream();
        ml.Model.Save(vae, view.Schema, stream);
        string json = Encoding.UTF8.GetString(ModelZip.VaeEntry(stream.ToArray(), ModelZip.Settings));
        Assert.IsFalse(json.Contains("MissingValues") || json.Contains("SlotLikelihoods"), json);
    }

    [TestMethod]
    public void OnnxExportRefusesBothOptionsNamingThem()
    {
        var ml = new MLContext(seed: 1);
        var view = View(ml, Small.Value.Data.Features);
        using var masked = ml.Transforms.VaeEncode(Options(o => o.SlotLikelihoods = null)).Fit(view);
        StringAssert.Contains(Assert.ThrowsExactly<NotSupportedException>(() => ml.Model.ConvertToOnnx(masked, view, new MemoryStream())).Message, "MissingValues = Mask");
        using var slots = ml.Transforms.VaeEncode(Options(o => o.MissingValues = VaeMissingValues.Refuse)).Fit(view);
        StringAssert.Contains(Assert.ThrowsExactly<NotSupportedException>(() => ml.Model.ConvertToOnnx(slots, view, new MemoryStream())).Message, "SlotLikelihoods");
    }

    [TestMethod]
    public void OneHotGroupsAreFoundFromTheSlotNamesOfAConcatenatedOneHotEncoding()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 40).Select(i => new CategoricalRow
        {
            Numbers = [i, -i],
            Colour = new[] { "red", "green", "blue" }[i % 3],
            Size = new[] { "S", "M", "L", "XL" }[i % 4],
            Weight = i * 0.5f,
        }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var prepared = ml.Transforms.Categorical.OneHotEncoding([new("ColourHot", "Colour"), new("SizeHot", "Size")])
            .Append(ml.Transforms.Concatenate("Features", "Numbers", "ColourHot", "Weight", "SizeHot"))
            .Fit(data).Transform(data);
        var ranges = VaeSlotLikelihoods.FromOneHotColumns(prepared.Schema, "Features", "ColourHot", "SizeHot");
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        prepared.Schema["Features"].GetSlotNames(ref names);
        string described = string.Join(", ", names.DenseValues());
        CollectionAssert.AreEqual(new VaeSlotLikelihood[] { new(2, 3, VaeSlotKind.Categorical), new(6, 4, VaeSlotKind.Categorical) }, ranges, described);
        // The groups hold one-hot rows, so a VAE with them fits.
        var withNaN = ml.Transforms.VaeEncode(new VaeOptions { LatentDimension = 2, HiddenDimensions = [8], Epochs = 2, SlotLikelihoods = ranges });
        using var vae = withNaN.Fit(prepared);
        var reconstruction = TabularData.Column(vae.Transform(prepared), "Reconstruction");
        Assert.AreEqual(1.0, reconstruction[0][2..5].Sum(), 1e-5);
        var missing = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => VaeSlotLikelihoods.FromOneHotColumns(prepared.Schema, "Features", "Weight"));
        StringAssert.Contains(missing.Message, "'Weight'");
    }

    public sealed class CategoricalRow
    {
        [VectorType(2)] public float[] Numbers { get; set; } = [];
        public string Colour { get; set; } = "";
        public string Size { get; set; } = "";
        public float Weight { get; set; }
    }

    public sealed class Output
    {
        public float[] LatentMean { get; set; } = [];
        public float[] Reconstruction { get; set; } = [];
    }

    private static SchemaDefinition Schema(int size)
    {
        var schema = SchemaDefinition.Create(typeof(TabularRow));
        schema[nameof(TabularRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        return schema;
    }
}
