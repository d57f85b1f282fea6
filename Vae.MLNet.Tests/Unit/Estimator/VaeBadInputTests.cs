using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.Estimator;

[TestClass]
public sealed class VaeBadInputTests
{
    private sealed class Row
    {
        [VectorType(3)] public float[] Features { get; set; } = [];
        public float Scalar { get; set; }
        [VectorType(3)] public double[] Doubles { get; set; } = [0, 0, 0];
    }

    private sealed class WideRow
    {
        [VectorType(4)] public float[] Features { get; set; } = [];
    }

    private static readonly MLContext Ml = new(seed: 1);

    private static IDataView Data(params float[][] rows) =>
        Ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Features = r }).ToArray());

    private static VaeOptions Options(Action<VaeOptions>? change = null)
    {
        var o = new VaeOptions { LatentDimension = 2, HiddenDimensions = [4], Epochs = 1, BatchSize = 4 };
        change?.Invoke(o);
        return o;
    }

    private static IDataView Good => Data([0.1f, 0.2f, 0.3f], [0.4f, 0.5f, 0.6f], [0.7f, 0.8f, 0.9f]);

    [TestMethod]
    public void NanOrInfinityInFitNamesTheColumnRowSlotAndValue()
    {
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            var e = Assert.ThrowsExactly<InvalidOperationException>(() =>
                Ml.Transforms.VaeEncode(Options()).Fit(Data([0, 0, 0], [0, 0, 0], [1, bad, 1])));
            StringAssert.Contains(e.Message, "'Features'");
            StringAssert.Contains(e.Message, "row 2");
            StringAssert.Contains(e.Message, "slot 1");
            StringAssert.Contains(e.Message, bad.ToString());
        }
    }

    [TestMethod]
    public void NanInTransformIsReported()
    {
        using var model = Ml.Transforms.VaeEncode(Options()).Fit(Good);
        var transformed = model.Transform(Data([1, float.NaN, 1]));
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => transformed.Preview());
        StringAssert.Contains(e.Message, "'Features'");
        StringAssert.Contains(e.Message, "NaN");
    }

    [TestMethod]
    public void BernoulliRejectsValuesOutsideTheUnitInterval()
    {
        var e = Assert.ThrowsExactly<InvalidOperationException>(() =>
            Ml.Transforms.VaeEncode(Options(o => o.Likelihood = VaeLikelihood.Bernoulli)).Fit(Data([0, 0.5f, 1], [0, 1.5f, 0])));
        StringAssert.Contains(e.Message, "1.5");
        StringAssert.Contains(e.Message, "row 1");
    }

    [TestMethod]
    public void MissingWrongTypeAndWrongSizeColumnsAreNamed()
    {
        var missing = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.VaeEncode(Options(o => o.InputColumnName = "Pixels")).Fit(Good));
        StringAssert.Contains(missing.Message, "'Pixels'");
        var scalar = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.VaeEncode(Options(o => o.InputColumnName = "Scalar")).Fit(Good));
        StringAssert.Contains(scalar.Message, "'Scalar'");
        var doubles = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.VaeEncode(Options(o => o.InputColumnName = "Doubles")).Fit(Good));
        StringAssert.Contains(doubles.Message, "Single");
        var shape = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            Ml.Transforms.VaeEncode(Options(o => o.InputColumnName = "Scalar")).GetOutputSchema(Shapes.Of(Good.Schema)));
        StringAssert.Contains(shape.Message, "'Scalar'");

        using var model = Ml.Transforms.VaeEncode(Options()).Fit(Good);
        var wide = Ml.Data.LoadFromEnumerable(new[] { new WideRow { Features = [1, 2, 3, 4] } });
        var size = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.Transform(wide));
        StringAssert.Contains(size.Message, "size 3");
    }

    [TestMethod]
    public void EmptyViewsAndBadOptionsAreRejectedBeforeTraining()
    {
        var empty = Assert.ThrowsExactly<InvalidOperationException>(() => Ml.Transforms.VaeEncode(Options()).Fit(Data()));
        StringAssert.Contains(empty.Message, "empty");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.VaeEncode(Options(o => o.LatentDimension = 0)));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.VaeEncode(Options(o => o.Epochs = 0)));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.VaeEncode(Options(o => o.BatchSize = -1)));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.VaeEncode(Options(o => o.LearningRate = 0)));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.VaeEncode(Options(o => o.LearningRate = double.NaN)));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.VaeEncode(Options(o => o.ValidationFraction = 1)));
        // A convolutional VAE without ImageShape reads it from the column's dimensions at Fit; a plain vector has none.
        // A schema error, as ML.NET's: ArgumentOutOfRangeException (issue 25, item 10).
        var noShape = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.VaeEncode(Options(o => o.Architecture = VaeArchitecture.Convolutional)).Fit(Good));
        StringAssert.Contains(noShape.Message, "ImageShape");
        Assert.AreEqual(nameof(VaeOptions.ImageShape), noShape.ParamName);
        Assert.ThrowsExactly<ArgumentException>(() => Ml.Transforms.VaeEncode(Options(o => o.ImageShape = [1, 2])));
        Assert.ThrowsExactly<ArgumentException>(() => Ml.Transforms.VaeEncode(Options(o => o.Device = "tpu")));
        var huge = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.VaeEncode(Options(o => o.LatentDimension = int.MaxValue / 2)).Fit(Good));
        StringAssert.Contains(huge.Message, "LatentDimension");
        var image = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            Ml.Transforms.VaeEncode(Options(o => { o.Architecture = VaeArchitecture.Convolutional; o.ImageShape = [1, 2, 2]; })).Fit(Good));
        StringAssert.Contains(image.Message, "[1, 2, 2]");
        StringAssert.Contains(image.Message, "3");
    }

    [TestMethod]
    public void ASingleRowAndABatchLargerThanTheDataTrain()
    {
        using var single = Ml.Transforms.VaeEncode(Options(o => o.BatchSize = 1000)).Fit(Data([0.1f, 0.2f, 0.3f]));
        Assert.AreEqual(1, single.TrainingHistory.Count);
        Assert.IsTrue(double.IsFinite(single.TrainingHistory[0].Loss));
    }
}
