using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Examples.Datasets;
using Vae.MLNet.Tests.Support;
using Vae.MLNet.Tests.Support.Onnx;

namespace Vae.MLNet.Tests.Integration.Onnx;

/// <summary>
/// <c>mlContext.Model.ConvertToOnnx</c> of whole pipelines with the VAE in them (NormalizeMinMax → VaeEncode → a
/// linear or tree classifier): scored in another process that knows nothing of Vae.MLNet, by ONNX Runtime and by
/// ApplyOnnxModel, the VAE's columns agree with Transform within 1e-5 and the predicted labels agree exactly.
/// </summary>
[TestClass]
public sealed class OnnxExportTests
{
    private const double Tolerance = 1e-5;
    private static readonly string[] VaeColumns = ["LatentMean", "LatentLogVariance", "Reconstruction"];

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void AnMlpVaeWithBatchNormAndALinearClassifierExportAsOneModel()
    {
        var ml = new MLContext(seed: 1);
        var rows = OnnxData.Rows(300);
        var options = new VaeOptions { LatentDimension = 3, HiddenDimensions = [16, 8], UseBatchNorm = true, Epochs = 3, BatchSize = 64, Seed = 1 };
        var model = ml.Transforms.NormalizeMinMax("Features")
            .Append(ml.Transforms.VaeEncode(options))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "LatentMean", maximumNumberOfIterations: 30))
            .Fit(OnnxData.Keyed(ml, rows));
        var scoring = ml.Data.LoadFromEnumerable(rows.Take(120).Select(r => new OnnxFeatures { Features = r.Features }));
        AssertOnnxAgrees(ml, model, scoring, "PredictedLabel", "Score");
    }

    [TestMethod]
    public void AConvolutionalBernoulliVaeWithBatchNormAVectorConditionAndATreeClassifierExportAsOneModel()
    {
        var ml = new MLContext(seed: 2);
        var rows = OnnxData.Rows(300, unitInterval: true);
        // 1×4×5 images: the odd width exercises the transposed convolution's output padding.
        var options = new VaeOptions
        {
            LatentDimension = 3, Architecture = VaeArchitecture.Convolutional, ImageShape = [1, 4, 5], HiddenDimensions = [4, 8], UseBatchNorm = true,
            Likelihood = VaeLikelihood.Bernoulli, ConditionColumnName = "ClassVector", Epochs = 3, BatchSize = 64, Seed = 2,
        };
        var model = ml.Transforms.VaeEncode(options)
            .Append(ml.BinaryClassification.Trainers.FastTree("IsFirst", "LatentMean", numberOfLeaves: 4, numberOfTrees: 10, minimumExampleCountPerLeaf: 5))
            .Fit(ml.Data.LoadFromEnumerable(rows));
        var scoring = ml.Data.LoadFromEnumerable(rows.Take(120).Select(r => new OnnxFeaturesAndClassVector { Features = r.Features, ClassVector = r.ClassVector }));
        AssertOnnxAgrees(ml, model, scoring, "PredictedLabel", "Score");
    }

    [TestMethod]
    public void AConditionalVaeKeyedInsideThePipelineFromTextExportsTheOneHotCondition()
    {
        var ml = new MLContext(seed: 3);
        var rows = OnnxData.Rows(300);
        var options = new VaeOptions { LatentDimension = 2, HiddenDimensions = [12], ConditionColumnName = "Class", LearnObservationVariance = true, Epochs = 3, BatchSize = 64, Seed = 3 };
        var model = ml.Transforms.Conversion.MapValueToKey("Class", "ClassName")
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.Transforms.VaeEncode(options))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "LatentMean", maximumNumberOfIterations: 30))
            .Fit(OnnxData.Keyed(ml, rows));
        var scoring = ml.Data.LoadFromEnumerable(rows.Take(120).Select(r => new OnnxFeaturesAndClassName { Features = r.Features, ClassName = r.ClassName }));
        AssertOnnxAgrees(ml, model, scoring, "PredictedLabel", "Score");
    }

    [TestMethod]
    public void EveryOpsetTheConverterOffersCarriesTheVae()
    {
        var ml = new MLContext(seed: 10);
        var rows = OnnxData.Rows(200, unitInterval: true);
        // Clip changed at opset 11 and Gemm's bias became optional there: the export uses neither form.
        var options = new VaeOptions
        {
            LatentDimension = 3, Architecture = VaeArchitecture.Convolutional, ImageShape = [1, 4, 5], HiddenDimensions = [4], UseBatchNorm = true,
            Likelihood = VaeLikelihood.Bernoulli, LogVarianceClamp = (-0.2, 0.2), Epochs = 2, Seed = 10,
        };
        var model = ml.Transforms.NormalizeMinMax("Features")
            .Append(ml.Transforms.VaeEncode(options))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "LatentMean", maximumNumberOfIterations: 20))
            .Fit(OnnxData.Keyed(ml, rows));
        var scoring = ml.Data.LoadFromEnumerable(rows.Take(60).Select(r => new OnnxFeatures { Features = r.Features }));
        float[] logVariances = OnnxComparison.Column(model.Transform(scoring), "LatentLogVariance");
        TestContext.WriteLine($"log-variances from {logVariances.Min()} to {logVariances.Max()}; {logVariances.Count(v => Math.Abs(v) == 0.2f)} of {logVariances.Length} at the clamp");
        Assert.IsTrue(logVariances.Any(v => Math.Abs(v) == 0.2f) && logVariances.Any(v => Math.Abs(v) < 0.2f), "some log-variances are clamped and some not, so the clamp is exercised");
        foreach (int opset in new[] { 9, 10, 11, 12 })
        {
            TestContext.WriteLine($"opset {opset}:");
            AssertOnnxAgrees(ml, model, scoring, "PredictedLabel", "Score", opset);
        }
    }

    [TestMethod]
    public void AnAnomalyScoreColumnIsRefusedNamingTheOption()
    {
        var ml = new MLContext(seed: 4);
        var data = ml.Data.LoadFromEnumerable(OnnxData.Rows(64));
        foreach (int samples in new[] { 0, 3 })
        {
            using var vae = ml.Transforms.VaeEncode(new VaeOptions { LatentDimension = 2, HiddenDimensions = [8], Epochs = 1, AnomalyScoreColumnName = "Anomaly", AnomalyScoreImportanceSamples = samples }).Fit(data);
            var error = Assert.ThrowsExactly<NotSupportedException>(() => ml.Model.ConvertToOnnx(vae, data, new MemoryStream()));
            StringAssert.Contains(error.Message, "AnomalyScoreColumnName");
            StringAssert.Contains(error.Message, "'Anomaly'");
            if (samples > 0) StringAssert.Contains(error.Message, "AnomalyScoreImportanceSamples = 3");
        }
    }

    [TestMethod]
    public void PerRowRefinementIsRefusedNamingTheOption()
    {
        var ml = new MLContext(seed: 5);
        var data = ml.Data.LoadFromEnumerable(OnnxData.Rows(64));
        using var vae = ml.Transforms.VaeEncode(new VaeOptions { LatentDimension = 2, HiddenDimensions = [8], Epochs = 1, RefinementSteps = 2 }).Fit(data);
        var error = Assert.ThrowsExactly<NotSupportedException>(() => ml.Model.ConvertToOnnx(vae, data, new MemoryStream()));
        StringAssert.Contains(error.Message, "RefinementSteps");
    }

    [TestMethod]
    public void AVaeLoadedFromTheModelZipExportsTheSameGraph()
    {
        var ml = new MLContext(seed: 6);
        var rows = OnnxData.Rows(200);
        var data = ml.Data.LoadFromEnumerable(rows);
        using var vae = ml.Transforms.VaeEncode(new VaeOptions { LatentDimension = 2, HiddenDimensions = [8], UseBatchNorm = true, Epochs = 2, Seed = 6 }).Fit(data);
        var saved = new MemoryStream();
        ml.Model.Save(vae, data.Schema, saved);
        saved.Position = 0;
        var loaded = new MLContext().Model.Load(saved, out _);
        var fromFitted = new MemoryStream();
        var fromLoaded = new MemoryStream();
        ml.Model.ConvertToOnnx(vae, data, fromFitted);
        ml.Model.ConvertToOnnx(loaded, data, fromLoaded);
        Assert.IsGreaterThan(1000, fromFitted.Length, "the graph carries the VAE's weights");
        CollectionAssert.AreEqual(fromFitted.ToArray(), fromLoaded.ToArray(), "the loaded VAE exports byte for byte the same ONNX");
    }

    [TestMethod]
    [TestCategory("Slow")]
    public void MnistMlpAndConvolutionalPipelinesAgreeWithTransformOnAThousandTestRows()
    {
        string folder = SharedData.Folder("mnist");
        var train = Mnist.Load(folder, train: true, take: 6000);
        var test = Mnist.Load(folder, train: false, take: 1000);
        var cases = new (string Name, VaeOptions Options)[]
        {
            ("mlp", new VaeOptions { InputColumnName = "Pixels", LatentDimension = 16, HiddenDimensions = [256], Likelihood = VaeLikelihood.Bernoulli, Epochs = 3, Seed = 7 }),
            ("convolutional", new VaeOptions
            {
                InputColumnName = "Pixels", LatentDimension = 16, Architecture = VaeArchitecture.Convolutional, ImageShape = [1, 28, 28], HiddenDimensions = [16, 32],
                UseBatchNorm = true, Likelihood = VaeLikelihood.Bernoulli, Epochs = 2, Seed = 8,
            }),
        };
        foreach (var (name, options) in cases)
        {
            var ml = new MLContext(seed: 9);
            var data = ml.Data.LoadFromEnumerable(train);
            var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
            var model = ml.Transforms.NormalizeMinMax("Pixels")
                .Append(ml.Transforms.VaeEncode(options))
                .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "LatentMean", maximumNumberOfIterations: 20))
                .Fit(keyed);
            var scoring = ml.Data.LoadFromEnumerable(test.Select(r => new MnistPixels { Pixels = r.Pixels }));
            TestContext.WriteLine($"MNIST {name}:");
            AssertOnnxAgrees(ml, model, scoring, "PredictedLabel", "Score");
        }
    }

    private sealed class MnistPixels
    {
        [VectorType(784)]
        public float[] Pixels { get; set; } = [];
    }

    /// <summary>Exports, scores in the other process, and compares every VAE column and the classifier's outputs with Transform.</summary>
    private void AssertOnnxAgrees(MLContext ml, ITransformer model, IDataView scoring, string labelColumn, string scoreColumn, int? opset = null)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"vae-onnx-{Guid.NewGuid():N}");
        try
        {
            var expected = model.Transform(scoring);
            var scored = OnnxScoringProcess.ExportAndScore(ml, model, scoring, folder, opset);
            TestContext.WriteLine($"  ONNX model {new FileInfo(scored.ModelPath).Length:N0} bytes");
            foreach (string method in OnnxScoringProcess.Methods)
            {
                foreach (string column in VaeColumns.Append(scoreColumn))
                {
                    double difference = OnnxComparison.MaxDifference(expected, scored, method, column);
                    TestContext.WriteLine($"  {method,-15} {column,-18} max |Δ| = {difference:E2}");
                    Assert.IsLessThanOrEqualTo(Tolerance, difference, $"{method}: '{column}' differs from Transform by up to {difference:E3}");
                }
                int disagreements = OnnxComparison.Disagreements(expected, scored, method, labelColumn);
                TestContext.WriteLine($"  {method,-15} {labelColumn,-18} {disagreements} of {scored.Get(method, labelColumn).Rows} rows differ");
                Assert.AreEqual(0, disagreements, $"{method}: predicted labels that differ from Transform's");
            }
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
