using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.Estimator;

[TestClass]
public sealed class GenerationTests
{
    private sealed class OneHotRow
    {
        [VectorType(SyntheticData.Dimension)] public float[] Features { get; set; } = [];
        [VectorType(3)] public float[] Condition { get; set; } = [];
    }

    private static (LabelledRow[] rows, ITransformer chain, VaeTransformer vae) TrainConditional(MLContext ml)
    {
        var rows = SyntheticData.LinearGaussian(800, classes: 3, noise: 0.05, seed: 3);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.Transforms.VaeEncode(new VaeOptions
            {
                ConditionColumnName = "LabelKey", LatentDimension = 2, HiddenDimensions = [32], Epochs = 100, BatchSize = 64, LearningRate = 4e-3,
            }));
        var chain = pipeline.Fit(ml.Data.LoadFromEnumerable(rows));
        return (rows, chain, chain.LastTransformer);
    }

    [TestMethod]
    public void SamplesForAClassAreClassifiedAsThatClassByAClassifierTrainedOnRealData()
    {
        var ml = new MLContext(seed: 6);
        var (rows, chain, vae) = TrainConditional(ml);
        Assert.AreEqual(3, vae.ConditionDimension);
        // The classifier: nearest class centroid in data space, fitted on the real rows.
        var centroids = Enumerable.Range(0, 3).Select(c =>
            Enumerable.Range(0, SyntheticData.Dimension).Select(j => rows.Where(r => r.Label == c).Average(r => r.Features[j])).ToArray()).ToArray();
        int Classify(float[] x) => Enumerable.Range(0, 3).MinBy(c => centroids[c].Select((m, j) => (m - x[j]) * (m - x[j])).Sum());
        for (int c = 0; c < 3; c++)
        {
            var samples = vae.SampleClass(200, classIndex: c, seed: c);
            double accuracy = samples.Count(s => Classify(s) == c) / 200.0;
            Console.WriteLine($"class {c}: {accuracy:P0}");
            Assert.IsTrue(accuracy > 0.6, $"class {c}: {accuracy:P0} of its samples are classified as it (chance is 33%)");
        }

        string path = Path.Combine(Path.GetTempPath(), $"cvae-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(chain, ml.Data.LoadFromEnumerable(rows).Schema, path);
            var loaded = (TransformerChain<ITransformer>)new MLContext().Model.Load(path, out _);
            var loadedVae = (VaeTransformer)loaded.Last();
            CollectionAssert.AreEqual(vae.SampleClass(3, classIndex: 1, seed: 5)[2], loadedVae.SampleClass(3, classIndex: 1, seed: 5)[2]);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.ThrowsExactly<ArgumentException>(() => vae.Sample(3));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => vae.SampleClass(3, classIndex: 3));
        Assert.ThrowsExactly<ArgumentException>(() => vae.Sample(3, new float[2]));
    }

    [TestMethod]
    public void AOneHotVectorColumnConditionsLikeAKey()
    {
        var ml = new MLContext(seed: 6);
        var rows = SyntheticData.LinearGaussian(300, seed: 4)
            .Select(r => new OneHotRow { Features = r.Features, Condition = Enumerable.Range(0, 3).Select(c => c == r.Label ? 1f : 0f).ToArray() }).ToArray();
        using var vae = ml.Transforms.VaeEncode(new VaeOptions { ConditionColumnName = "Condition", LatentDimension = 2, HiddenDimensions = [16], Epochs = 3 })
            .Fit(ml.Data.LoadFromEnumerable(rows));
        Assert.AreEqual(3, vae.ConditionDimension);
        Assert.AreEqual(SyntheticData.Dimension, vae.Sample(2, [0f, 1f, 0f], seed: 1)[1].Length);
        var transformed = vae.Transform(ml.Data.LoadFromEnumerable(rows));
        Assert.IsNotNull(transformed.Schema.GetColumnOrNull("LatentMean"));
        var wrong = ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(5));
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => vae.Transform(wrong));
        StringAssert.Contains(e.Message, "'Condition'");
    }

    [TestMethod]
    public void InterpolationEndsAtTheInputsAndTraversalChangesOneDimension()
    {
        var ml = new MLContext(seed: 2);
        var rows = SyntheticData.LinearGaussian(300);
        using var vae = ml.Transforms.VaeEncode(new VaeOptions { LatentDimension = 2, HiddenDimensions = [16], Epochs = 3 }).Fit(ml.Data.LoadFromEnumerable(rows));
        float[] a = rows[0].Features, b = rows[1].Features;
        var path = vae.Interpolate(a, b, steps: 5);
        Assert.AreEqual(5, path.Length);
        // The path is decoded as one batch of 5, Reconstruct as a batch of 1: libtorch may pick other kernels (and
        // rounding) for the two shapes, so the ends agree to float precision, not bit for bit.
        TensorChecks.Close(vae.Reconstruct(a), path[0], 1e-5, "start");
        TensorChecks.Close(vae.Reconstruct(b), path[4], 1e-5, "end");
        var za = vae.Encode(a).Mean;
        var zb = vae.Encode(b).Mean;
        var middle = vae.Decode(za.Select((v, i) => (v + zb[i]) / 2).ToArray());
        for (int j = 0; j < middle.Length; j++) Assert.AreEqual(middle[j], path[2][j], 1e-5);

        var traversal = vae.Traverse(a, dimension: 1, values: [-2, 0, 2]);
        Assert.AreEqual(3, traversal.Length);
        TensorChecks.Close(vae.Decode([za[0], 2f]), traversal[2], 1e-5, "traversal to 2");
        TensorChecks.Close(vae.Decode([za[0], -2f]), traversal[0], 1e-5, "traversal to -2");
        Assert.IsTrue(traversal[0].Zip(traversal[2]).Any(p => Math.Abs(p.First - p.Second) > 1e-3), "moving dimension 1 changes the decoded vector");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => vae.Traverse(a, dimension: 2, values: [0]));
    }

    [TestMethod]
    public void SphericalInterpolationKeepsTheNormOfEqualLengthEndpoints()
    {
        float[] a = [3, 0, 0], b = [0, 0, 3];
        var path = LatentPaths.Interpolate(a, b, 5, VaeInterpolation.Spherical);
        foreach (var p in path) Assert.AreEqual(3, Math.Sqrt(p.Sum(v => v * v)), 1e-5);
        Assert.AreEqual(3 * Math.Sqrt(0.5), path[2][0], 1e-5, "the midpoint is at 45°");
        var straight = LatentPaths.Interpolate(a, b, 5, VaeInterpolation.Linear);
        Assert.AreEqual(1.5, straight[2][0], 1e-6);
        CollectionAssert.AreEqual(LatentPaths.Interpolate(a, a, 3, VaeInterpolation.Spherical)[1], a, "parallel endpoints fall back to the line");
    }
}
