using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Tests.Integration.Pipelines;

/// <summary>
/// What the VAE reads from ML.NET's ExtractPixels: a vector of Single whose dimensions are [C, H, W] (channel planes),
/// or [H, W, C] when the pixels are interleaved. These views carry exactly that column type; the real image transforms
/// run in examples/Images (<c>ImagesExampleTests</c>), since they cannot share a process with the report's SkiaSharp 3.
/// </summary>
[TestClass]
public sealed class ImageInputTests
{
    private sealed class PixelRow
    {
        public float[] Pixels { get; set; } = [];
    }

    /// <summary>A view of soft blobs in a column typed as ExtractPixels types it: Vector&lt;Single, dims&gt;.</summary>
    private static IDataView Images(MLContext ml, int[] dims, float scale = 1, int rows = 64)
    {
        var random = new Random(7);
        int h = dims[1], w = dims[2];
        var data = Enumerable.Range(0, rows).Select(_ =>
        {
            double cx = 1 + random.NextDouble() * (w - 2), cy = 1 + random.NextDouble() * (h - 2);
            var plane = Enumerable.Range(0, h * w).Select(i => (float)Math.Exp(-((i % w - cx) * (i % w - cx) + (i / w - cy) * (i / w - cy)) / 3)).ToArray();
            return new PixelRow { Pixels = Enumerable.Repeat(plane, dims[0]).SelectMany(p => p).Select(v => v * scale).ToArray() };
        }).ToArray();
        var schema = SchemaDefinition.Create(typeof(PixelRow));
        schema[nameof(PixelRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dims);
        return ml.Data.LoadFromEnumerable(data, schema);
    }

    private static VaeOptions Convolutional(int[]? shape = null) => new()
    {
        InputColumnName = "Pixels", Architecture = VaeArchitecture.Convolutional, ImageShape = shape, HiddenDimensions = [4, 8], LatentDimension = 2,
        Likelihood = VaeLikelihood.Bernoulli, Epochs = 1, BatchSize = 32, Seed = 7,
    };

    [TestMethod]
    public void ConvolutionalVaeReadsTheImageShapeFromTheColumnsDimensions()
    {
        var ml = new MLContext(seed: 7);
        var data = Images(ml, [3, 8, 8]);
        using var vae = ml.Transforms.VaeEncode(Convolutional()).Fit(data);
        CollectionAssert.AreEqual(new[] { 3, 8, 8 }, vae.ImageShape!.ToArray());
        var means = ml.Data.CreateEnumerable<MeanRow>(vae.Transform(data), reuseRowObject: false).ToArray();
        Assert.AreEqual(64, means.Length);
        Assert.IsTrue(means.All(m => m.LatentMean.Length == 2 && m.LatentMean.All(float.IsFinite)));
        // The same shape given explicitly agrees with the column.
        using var explicitShape = ml.Transforms.VaeEncode(Convolutional([3, 8, 8])).Fit(data);
        CollectionAssert.AreEqual(new[] { 3, 8, 8 }, explicitShape.ImageShape!.ToArray());
    }

    [TestMethod]
    public void InterleavedPixelsAreRefusedNamingTheColumnAndTheFix()
    {
        var ml = new MLContext(seed: 7);
        var interleaved = Images(ml, [8, 8, 3]);
        foreach (var options in new[] { Convolutional(), Convolutional([3, 8, 8]) })
        {
            var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.VaeEncode(options).Fit(interleaved));
            StringAssert.Contains(error.Message, "Column 'Pixels' holds interleaved pixels, H×W×C = 8×8×3");
            StringAssert.Contains(error.Message, "interleavePixelColors: false");
        }
    }

    [TestMethod]
    public void AShapeThatDoesNotMatchTheColumnsDimensionsIsRefused()
    {
        var ml = new MLContext(seed: 7);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.VaeEncode(Convolutional([1, 4, 16])).Fit(Images(ml, [1, 8, 8])));
        StringAssert.Contains(error.Message, "ImageShape [1, 4, 16] does not match column 'Pixels', whose vector has dimensions [1, 8, 8]");
        var noChannels = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.VaeEncode(Convolutional()).Fit(Images(ml, [8, 8, 8])));
        StringAssert.Contains(noChannels.Message, "Column 'Pixels' has dimensions [8, 8, 8]");
    }

    [TestMethod]
    public void UnscaledPixelsForBernoulliNameTheColumnAndTheScaling()
    {
        var ml = new MLContext(seed: 7);
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.VaeEncode(Convolutional()).Fit(Images(ml, [1, 8, 8], scale: 255)));
        StringAssert.Contains(error.Message, "Column 'Pixels' holds");
        StringAssert.Contains(error.Message, "needs values in [0, 1]");
        StringAssert.Contains(error.Message, "scaleImage: 1f / 255");
    }

    private sealed class MeanRow
    {
        public float[] LatentMean { get; set; } = [];
    }
}
