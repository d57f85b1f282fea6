using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Backend;
using Vae.MLNet.Tests.Support.ModelFiles;

namespace Vae.MLNet.Tests.Integration.Pipelines;

/// <summary>
/// ML.NET's contract and what real applications met (issue 25, items 10 and 12): columns matched by index as ML.NET's
/// transforms do, the VAE found in nested chains, the Bernoulli range error's hint, one range rule for Transform and Evaluate.
/// </summary>
[TestClass]
public sealed class ApplicationContractTests
{
    private sealed class Row
    {
        [VectorType(3)] public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    private static readonly MLContext Ml = new(seed: 1);

    private static IDataView Data(params float[][] rows) =>
        Ml.Data.LoadFromEnumerable(rows.Select((r, i) => new Row { Features = r, Label = i }).ToArray());

    private static IDataView Unit => Data([0.1f, 0.2f, 0.3f], [0.4f, 0.5f, 0.6f], [0.7f, 0.8f, 1f], [0f, 0.5f, 1f]);

    private static VaeOptions Small(Action<VaeOptions>? change = null)
    {
        var o = new VaeOptions { LatentDimension = 2, HiddenDimensions = [4], Epochs = 1, BatchSize = 4 };
        change?.Invoke(o);
        return o;
    }

    private static AutoencoderOptions SmallAutoencoder() => new() { LatentDimension = 2, HiddenDimensions = [4], Epochs = 1, BatchSize = 4 };

    [TestMethod]
    public void AColumnOfAnEqualSchemaIsAcceptedByIndexAsByMLNet()
    {
        var data = Unit;
        using var vae = Ml.Transforms.VaeEncode(Small()).Fit(data);
        using var autoencoder = Ml.Transforms.AutoencoderEncode(SmallAutoencoder()).Fit(data);
        // ML.NET's own transform, the control: a column of another, equal schema is matched by its index.
        var normalizer = Ml.Transforms.NormalizeMinMax("Scaled", "Features").Fit(data);
        foreach (var (model, name) in new (ITransformer, string)[] { (normalizer, "Scaled"), (vae, "LatentMean"), (autoencoder, "Latent") })
        {
            var column = model.GetOutputSchema(data.Schema)[name];
            var view = model.Transform(data);
            Assert.AreNotSame(view.Schema, model.GetOutputSchema(data.Schema), name);
            using var cursor = view.GetRowCursor([column]);
            Assert.IsTrue(cursor.IsColumnActive(column), name);
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            var value = default(VBuffer<float>);
            Assert.IsTrue(cursor.MoveNext(), name);
            getter(ref value);
            Assert.IsTrue(value.Length > 0, name);
            // The same through GetRowCursorSet and a row of the row-to-row mapper.
            var set = view.GetRowCursorSet([column], 2);
            foreach (var c in set) c.Dispose();
            var mapper = model.GetRowToRowMapper(data.Schema);
            using var input = data.GetRowCursor(data.Schema);
            Assert.IsTrue(input.MoveNext());
            using var row = mapper.GetRow(input, [model.GetOutputSchema(data.Schema)[name]]);
            row.GetGetter<VBuffer<float>>(model.GetOutputSchema(data.Schema)[name])(ref value);
            Assert.IsTrue(value.Length > 0, name);
        }
    }

    [TestMethod]
    public void AColumnIndexOutsideTheSchemaIsStillRefused()
    {
        using var vae = Ml.Transforms.VaeEncode(Small()).Fit(Unit);
        var view = vae.Transform(Unit);
        var wider = Ml.Transforms.CopyColumns("Extra1", "Features").Append(Ml.Transforms.CopyColumns("Extra2", "Features"))
            .Append(Ml.Transforms.CopyColumns("Extra3", "Features")).Append(Ml.Transforms.CopyColumns("Extra4", "Features"))
            .Append(Ml.Transforms.CopyColumns("Extra5", "Features")).Fit(view).Transform(view);
        var outside = wider.Schema[wider.Schema.Count - 1];
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => view.GetRowCursor([outside]));
    }

    /// <summary>A helper as applications write them: typed IEstimator&lt;ITransformer&gt;, so Append nests the chains.</summary>
    private static IEstimator<ITransformer> FeaturePipeline(IEstimator<ITransformer> model) =>
        Ml.Transforms.CopyColumns("Original", "Features").Append(model);

    [TestMethod]
    public void FindTransformersFindsTheModelsInNestedChainsAndAfterLoad()
    {
        var data = Unit;
        // Appending the helper's chain nests it: [Copy, [Original, VAE], [Original, autoencoder]].
        var pipeline = Ml.Transforms.CopyColumns("Copy", "Features")
            .Append(FeaturePipeline(Ml.Transforms.VaeEncode(Small())))
            .Append(FeaturePipeline(Ml.Transforms.AutoencoderEncode(SmallAutoencoder())));
        var model = pipeline.Fit(data);
        try
        {
            // The README's way finds nothing here: the VAE sits two chains deep.
            Assert.IsFalse(model.OfType<VaeTransformer>().Any(), Structure(model));
            var vae = model.FindVae();
            Assert.AreEqual(3, vae.InputDimension);
            Assert.AreSame(vae, model.FindTransformers<VaeTransformer>().Single());
            Assert.AreEqual(2, model.FindAutoencoder().LatentDimension);
            var stream = new MemoryStream();
            Ml.Model.Save(model, data.Schema, stream);
            stream.Position = 0;
            var loaded = Ml.Model.Load(stream, out _);
            try
            {
                Assert.AreEqual(3, loaded.FindVae().InputDimension);
                Assert.AreEqual(2, loaded.FindAutoencoder().LatentDimension);
                CollectionAssert.AreEqual(vae.Encode([0.1f, 0.2f, 0.3f]).Mean, loaded.FindVae().Encode([0.1f, 0.2f, 0.3f]).Mean);
            }
            finally
            {
                ModelLoadCheck.Dispose(loaded);
            }
        }
        finally
        {
            ModelLoadCheck.Dispose(model);
        }
        var none = Assert.ThrowsExactly<InvalidOperationException>(() => Ml.Transforms.CopyColumns("A", "Features").Fit(data).FindVae());
        StringAssert.Contains(none.Message, nameof(VaeTransformer));
        using var single = Ml.Transforms.VaeEncode(Small()).Fit(data);
        Assert.AreSame(single, single.FindVae());
    }

    [TestMethod]
    public void WithoutABackendTheFirstUseOfALoadedModelThrowsTheLibrarysExplanation()
    {
        // ML.NET calls the chain's loader and ours by reflection: thrown at Load, the explanation reached the
        // application two TargetInvocationExceptions down. The loaded model throws it itself, at its first use.
        var data = Unit;
        var model = Ml.Transforms.VaeEncode(Small()).Append(Ml.Transforms.AutoencoderEncode(SmallAutoencoder())).Fit(data);
        var stream = new MemoryStream();
        Ml.Model.Save(model, data.Schema, stream);
        ModelLoadCheck.Dispose(model);
        using (TorchRuntime.SimulateMissingBackend())
        {
            stream.Position = 0;
            var loaded = Ml.Model.Load(stream, out var schema);
            var vae = loaded.FindVae();
            Assert.AreEqual(3, vae.InputDimension);
            Assert.AreEqual(2, loaded.FindAutoencoder().LatentDimension);
            var uses = new (string Name, Action Call)[]
            {
                ("Transform", () => loaded.Transform(data)),
                ("CreatePredictionEngine", () => Ml.Model.CreatePredictionEngine<Row, Latent>(loaded)),
                ("Encode", () => vae.Encode([0.1f, 0.2f, 0.3f])),
                ("Sample", () => vae.Sample(1, seed: 1)),
                ("autoencoder Encode", () => loaded.FindAutoencoder().Encode([0.1f, 0.2f, 0.3f])),
                ("Save", () => Ml.Model.Save(loaded, schema, new MemoryStream())),
            };
            foreach (var (name, call) in uses)
            {
                var e = Assert.ThrowsExactly<InvalidOperationException>(call, name);
                StringAssert.Contains(e.Message, "TorchSharp's native backend could not be loaded", name);
            }
            ModelLoadCheck.Dispose(loaded);
        }
        // Outside the simulation the same file loads and works.
        stream.Position = 0;
        var working = Ml.Model.Load(stream, out _);
        Assert.AreEqual(2, working.FindVae().Encode([0.1f, 0.2f, 0.3f]).Mean.Length);
        ModelLoadCheck.Dispose(working);
    }

    [TestMethod]
    public void TheBernoulliRangeHintFitsAColumnThatIsNotAnImage()
    {
        var e = Assert.ThrowsExactly<InvalidOperationException>(() =>
            Ml.Transforms.VaeEncode(Small(o => o.Likelihood = VaeLikelihood.Bernoulli)).Fit(Data([0, 0.5f, 1], [0, 3f, 0])));
        StringAssert.Contains(e.Message, "'Features'");
        StringAssert.Contains(e.Message, "NormalizeMinMax");
        Assert.IsFalse(e.Message.Contains("ExtractPixels", StringComparison.Ordinal), e.Message);
        Assert.IsFalse(e.Message.Contains("scaleImage", StringComparison.Ordinal), e.Message);
    }

    [TestMethod]
    public void TransformAndEvaluateApplyOneRangeRuleToBernoulliInputs()
    {
        // The rule: a Bernoulli likelihood is computed only on values in [0, 1]; the encoder and decoder take any.
        using var model = Ml.Transforms.VaeEncode(Small(o => { o.Likelihood = VaeLikelihood.Bernoulli; o.AnomalyScoreColumnName = "Score"; })).Fit(Unit);
        // A row NormalizeMinMax left slightly above 1 (it does not clip rows outside the range it was fitted on).
        var unseen = Data([0.1f, 0.2f, 0.3f], [0.5f, 1.05f, 0.2f]);
        var evaluate = Assert.ThrowsExactly<InvalidOperationException>(() => model.Evaluate(unseen));
        var gap = Assert.ThrowsExactly<InvalidOperationException>(() => model.MeasureAmortizationGap(unseen, steps: 1));
        var view = model.Transform(unseen);
        var score = Assert.ThrowsExactly<InvalidOperationException>(() => Read(view, "Score"));
        foreach (var e in new[] { evaluate, gap, score })
        {
            StringAssert.Contains(e.Message, "'Features'");
            StringAssert.Contains(e.Message, "row 1");
            StringAssert.Contains(e.Message, "slot 1");
            StringAssert.Contains(e.Message, "1.05");
            StringAssert.Contains(e.Message, "[0, 1]");
            StringAssert.Contains(e.Message, "does not clip");
        }
        var engine = Ml.Model.CreatePredictionEngine<Row, Scored>(model);
        Assert.ThrowsExactly<InvalidOperationException>(() => engine.Predict(new Row { Features = [0.5f, 1.05f, 0.2f] }));
        // The encoder's and decoder's columns take the row, in Transform, PredictionEngine and Encode alike.
        Read(view, "LatentMean");
        Read(view, "Reconstruction");
        var latent = Ml.Model.CreatePredictionEngine<Row, Latent>(model).Predict(new Row { Features = [0.5f, 1.05f, 0.2f] });
        var encoded = model.Encode([0.5f, 1.05f, 0.2f]).Mean;
        for (int j = 0; j < encoded.Length; j++) Assert.AreEqual(encoded[j], latent.LatentMean[j], 1e-5f);
        // Both ends of [0, 1] are in.
        var edges = Data([0f, 1f, 0.5f], [1f, 0f, 1f]);
        Assert.IsTrue(double.IsFinite(model.Evaluate(edges).Elbo));
        Assert.AreEqual(2, Ml.Data.CreateEnumerable<Scored>(model.Transform(edges), reuseRowObject: false).Count(r => float.IsFinite(r.Score)));
    }

    private static string Structure(ITransformer model) =>
        model is IEnumerable<ITransformer> chain ? $"{model.GetType().Name}[{string.Join(", ", chain.Select(Structure))}]" : model.GetType().Name;

    private static void Read(IDataView view, string column)
    {
        using var cursor = view.GetRowCursor([view.Schema[column]]);
        if (view.Schema[column].Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(view.Schema[column]);
            var value = default(VBuffer<float>);
            while (cursor.MoveNext()) getter(ref value);
        }
        else
        {
            var getter = cursor.GetGetter<float>(view.Schema[column]);
            float value = 0;
            while (cursor.MoveNext()) getter(ref value);
        }
    }

    private sealed class Scored
    {
        public float Score { get; set; }
    }

    private sealed class Latent
    {
        public float[] LatentMean { get; set; } = [];
    }
}
