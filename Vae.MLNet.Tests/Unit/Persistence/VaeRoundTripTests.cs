using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Tests.Support.ModelFiles;

namespace Vae.MLNet.Tests.Unit.Persistence;

/// <summary>
/// Every kind of VAE, saved by <c>ml.Model.Save</c> in a pipeline and loaded by <c>new MLContext().Model.Load</c>:
/// the loaded chain computes the same outputs (bit for bit: same process, same kernels), keeps the VAE's full API and
/// its training history, and a PredictionEngine over it agrees with one over the original.
/// </summary>
[TestClass]
public sealed class VaeRoundTripTests
{
    /// <summary>A row of 16 features (a 1×4×4 image for the convolutional VAE) and a class label.</summary>
    public sealed class Row
    {
        /// <summary>The features, in [0, 1].</summary>
        [VectorType(16)]
        public float[] Features { get; set; } = [];

        /// <summary>One of three classes.</summary>
        public string Label { get; set; } = "";
    }

    /// <summary>What a PredictionEngine reads back.</summary>
    public sealed class Output
    {
        /// <summary>The latent mean.</summary>
        public float[] LatentMean { get; set; } = [];

        /// <summary>The reconstruction.</summary>
        public float[] Reconstruction { get; set; } = [];
    }

    private static Row[] Rows(int count = 96)
    {
        var random = new Random(11);
        return Enumerable.Range(0, count).Select(i =>
        {
            int c = i % 3;
            return new Row { Label = "abc"[c].ToString(), Features = Enumerable.Range(0, 16).Select(j => (float)Math.Clamp((j % 3 == c ? 0.7 : 0.2) + random.NextDouble() * 0.2, 0, 1)).ToArray() };
        }).ToArray();
    }

    private static VaeOptions Base() => new() { LatentDimension = 2, HiddenDimensions = [6], Epochs = 2, BatchSize = 32, Seed = 3 };

    public static IEnumerable<object[]> Kinds =>
    [
        ["mlp, Gaussian, learned variance"], ["mlp, Gaussian, fixed variance"], ["mlp, Bernoulli"], ["convolutional"], ["batch norm"],
        ["conditional"], ["anomaly score"], ["anomaly score, importance-weighted"], ["refinement"],
        ["flow"], ["iterative inference"], ["flow, iterative inference, refinement and scores"],
    ];

    private static VaeOptions Options(string kind)
    {
        var o = Base();
        switch (kind)
        {
            case "mlp, Gaussian, learned variance": o.Likelihood = VaeLikelihood.Gaussian; o.LearnObservationVariance = true; break;
            case "mlp, Gaussian, fixed variance": o.LearnObservationVariance = false; o.ObservationVariance = 0.05; break;
            case "mlp, Bernoulli": o.Likelihood = VaeLikelihood.Bernoulli; break;
            case "convolutional": o.Architecture = VaeArchitecture.Convolutional; o.ImageShape = [1, 4, 4]; o.HiddenDimensions = [3]; break;
            case "batch norm": o.UseBatchNorm = true; o.HiddenDimensions = [6, 4]; break;
            case "conditional": o.ConditionColumnName = "LabelKey"; break;
            case "anomaly score": o.AnomalyScoreColumnName = "AnomalyScore"; break;
            case "anomaly score, importance-weighted": o.AnomalyScoreColumnName = "AnomalyScore"; o.AnomalyScoreImportanceSamples = 8; break;
            case "refinement": o.RefinementSteps = 3; o.RefinementLearningRate = 0.05; break;
            case "flow": o.FlowSteps = 2; o.Likelihood = VaeLikelihood.Bernoulli; break;
            case "iterative inference": o.InferenceIterations = 2; break;
            case "flow, iterative inference, refinement and scores":
                o.FlowSteps = 2; o.InferenceIterations = 2; o.RefinementSteps = 2; o.AnomalyScoreColumnName = "AnomalyScore"; o.AnomalyScoreImportanceSamples = 4; break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
        return o;
    }

    [TestMethod]
    [DynamicData(nameof(Kinds))]
    public void EveryKindOfVaeRoundTripsThroughTheModelZipInAFreshContext(string kind)
    {
        var ml = new MLContext(seed: 1);
        var rows = Rows();
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label").Append(ml.Transforms.VaeEncode(Options(kind))).Fit(data);
        var original = model.LastTransformer;
        string path = Path.Combine(Path.GetTempPath(), $"vae-roundtrip-{Guid.NewGuid():N}.zip");
        ITransformer? loaded = null;
        try
        {
            ml.Model.Save(model, data.Schema, path);
            loaded = new MLContext().Model.Load(path, out var schema);
            Assert.AreEqual(data.Schema.Count, schema.Count, "the input schema is saved with the model");
            var vae = ((TransformerChain<ITransformer>)loaded).OfType<VaeTransformer>().Single();

            Assert.AreEqual(original.Architecture, vae.Architecture);
            Assert.AreEqual(original.Likelihood, vae.Likelihood);
            Assert.AreEqual(original.LatentDimension, vae.LatentDimension);
            Assert.AreEqual(original.InputDimension, vae.InputDimension);
            CollectionAssert.AreEqual(original.ImageShape?.ToArray(), vae.ImageShape?.ToArray());
            Assert.AreEqual(original.AnomalyScoreColumnName, vae.AnomalyScoreColumnName);
            Assert.AreEqual(original.ConditionColumnName, vae.ConditionColumnName);
            Assert.AreEqual(original.TrainingHistory.Count, vae.TrainingHistory.Count);
            for (int e = 0; e < vae.TrainingHistory.Count; e++)
                Assert.AreEqual(original.TrainingHistory[e].Loss, vae.TrainingHistory[e].Loss, $"epoch {e}'s loss");

            // Every output column, every row, bit for bit.
            string expected = ModelLoadCheck.Render(model.Transform(data).Preview(maxRows: rows.Length));
            string actual = ModelLoadCheck.Render(loaded.Transform(data).Preview(maxRows: rows.Length));
            Assert.AreEqual(expected, actual, $"{kind}: the loaded model computes something else");

            // The VAE's own API after load.
            var vaeInput = model.First().Transform(data);
            Assert.AreEqual(original.Evaluate(vaeInput, seed: 4).Elbo, vae.Evaluate(vaeInput, seed: 4).Elbo, 1e-9, "Evaluate");
            Func<VaeTransformer, float[]> sample = kind == "conditional" ? t => t.SampleClass(3, 1, seed: 9).SelectMany(s => s).ToArray() : t => t.Sample(3, seed: 9).SelectMany(s => s).ToArray();
            CollectionAssert.AreEqual(sample(original), sample(vae), "Sample");

            // PredictionEngine, one row at a time, over both.
            using var before = ml.Model.CreatePredictionEngine<Row, Output>(model);
            using var after = new MLContext().Model.CreatePredictionEngine<Row, Output>(loaded);
            foreach (var row in rows.Take(10))
            {
                var (a, b) = (before.Predict(row), after.Predict(row));
                for (int j = 0; j < a.LatentMean.Length; j++) Assert.AreEqual(a.LatentMean[j], b.LatentMean[j], 1e-6f, "LatentMean");
                for (int j = 0; j < a.Reconstruction.Length; j++) Assert.AreEqual(a.Reconstruction[j], b.Reconstruction[j], 1e-6f, "Reconstruction");
            }
        }
        finally
        {
            original.Dispose();
            if (loaded != null) ModelLoadCheck.Dispose(loaded);
            File.Delete(path);
        }
    }

    [TestMethod]
    public void TheVaeEntriesAreTheSameEachTimeTheModelIsSaved()
    {
        // ML.NET's zip records the time of writing, so whole files differ; the VAE's entries must not.
        var sample = ModelSamples.Vae;
        var ml = new MLContext(seed: 1);
        var loaded = ml.Model.Load(new MemoryStream(sample.Bytes), out var schema);
        try
        {
            var again = ModelSamples.Save(ml, loaded, schema);
            foreach (string entry in new[] { ModelZip.Header, ModelZip.Settings, ModelZip.Weights })
                CollectionAssert.AreEqual(ModelZip.VaeEntry(sample.Bytes, entry), ModelZip.VaeEntry(again, entry), entry);
        }
        finally
        {
            ModelLoadCheck.Dispose(loaded);
        }
    }

    [TestMethod]
    public void AModelLoadsFromANonSeekableStream()
    {
        var sample = ModelSamples.Vae;
        var loaded = new MLContext().Model.Load(new ForwardOnlyStream(sample.Bytes), out _);
        try
        {
            Assert.AreEqual(ModelLoadCheck.Run(sample.Bytes, sample.Data).Output, ModelLoadCheck.Render(loaded.Transform(sample.Data).Preview(maxRows: 8)));
        }
        finally
        {
            ModelLoadCheck.Dispose(loaded);
        }
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
