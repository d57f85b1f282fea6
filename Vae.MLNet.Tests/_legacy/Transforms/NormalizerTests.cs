using Vae.MLNet.Data;
using Vae.MLNet.Tests.Data;

namespace Vae.MLNet.Tests.Transforms;

[TestClass]
public sealed class NormalizerTests
{
    private sealed class Row
    {
        public float X { get; set; }

        public double Y { get; set; }

        [VectorType(2)]
        public float[] V { get; set; } = [];

        public string S { get; set; } = "";
    }

    private static IDataView Data(MLContext ml, params float[] xs) =>
        ml.Data.LoadFromEnumerable(xs.Select(x => new Row { X = x, Y = x, V = [x, -x], S = "s" }).ToArray());

    [TestMethod]
    public void MinMaxWithFixZeroScalesByLargestMagnitude()
    {
        var ml = new MLContext();
        var data = Data(ml, -2, 1, 4);
        var output = ml.Transforms.NormalizeMinMax("N", "X").Fit(data).Transform(data);
        TestData.AreClose([-0.5f, 0.25f, 1f], TestData.Column<float>(output, "N"));
        Assert.IsTrue(output.Schema["N"].IsNormalized());
    }

    [TestMethod]
    public void MinMaxWithoutFixZeroMapsRangeToUnitInterval()
    {
        var ml = new MLContext();
        var data = Data(ml, -2, 1, 4);
        var output = ml.Transforms.NormalizeMinMax("N", "X", fixZero: false).Fit(data).Transform(data);
        TestData.AreClose([0f, 0.5f, 1f], TestData.Column<float>(output, "N"));
        var vectors = ml.Transforms.NormalizeMinMax("N", "V", fixZero: false).Fit(data).Transform(data);
        TestData.AreClose([0f, 1f], TestData.Vectors(vectors, "N")[0]);
        TestData.AreClose([1f, 0f], TestData.Vectors(vectors, "N")[2]);
    }

    [TestMethod]
    public void MeanVarianceMatchesHandComputedValues()
    {
        var ml = new MLContext();
        var data = Data(ml, 1, 2, 3, 6);
        var plain = ml.Transforms.NormalizeMeanVariance("N", "Y", fixZero: false).Fit(data).Transform(data);
        var values = TestData.Column<double>(plain, "N");
        double[] expected = [-0.9258200997725514, -0.4629100498862757, 0.0, 1.3887301496588271];
        for (int i = 0; i < 4; i++)
            Assert.AreEqual(expected[i], values[i], 1e-12);

        var fixZero = ml.Transforms.NormalizeMeanVariance("N", "X").Fit(data).Transform(data);
        TestData.AreClose([0.2705009f, 0.5410018f, 0.8115027f, 1.6230053f], TestData.Column<float>(fixZero, "N"));

        var cdf = ml.Transforms.NormalizeMeanVariance("N", "X", useCdf: true).Fit(data).Transform(data);
        TestData.AreClose([0.1772697f, 0.3217144f, 0.5f, 0.9175426f], TestData.Column<float>(cdf, "N"), 1e-6f);
    }

    [TestMethod]
    public void StatisticsIgnoreNaNAndRespectMaximumExampleCount()
    {
        var ml = new MLContext();
        var data = Data(ml, 2, float.NaN, -1, 100);
        var output = ml.Transforms.NormalizeMinMax("N", "X", maximumExampleCount: 3).Fit(data).Transform(data);
        TestData.AreClose([1f, float.NaN, -0.5f, 50f], TestData.Column<float>(output, "N"));
    }

    [TestMethod]
    public void ConstantColumnGetsScaleOne()
    {
        var ml = new MLContext();
        var data = Data(ml, 3, 3);
        var output = ml.Transforms.NormalizeMinMax("N", "X", fixZero: false).Fit(data).Transform(data);
        TestData.AreClose([0f, 0f], TestData.Column<float>(output, "N"));
    }

    [TestMethod]
    public void FixZeroKeepsSparseVectorsSparse()
    {
        var ml = new MLContext();
        var sparse = new SparseSource(new VBuffer<float>(4, 2, [2f, -4f], [1, 3]));
        var output = ml.Transforms.NormalizeMinMax("N", "S").Fit(sparse).Transform(sparse);
        var value = TestData.Column<VBuffer<float>>(output, "N")[0];
        Assert.IsFalse(value.IsDense);
        CollectionAssert.AreEqual(new[] { 0f, 1f, 0f, 1f }, value.DenseValues().Select(Math.Abs).ToArray());
    }

    [TestMethod]
    public void NonNumericInputIsRejectedBeforeWork()
    {
        var ml = new MLContext();
        var data = Data(ml, 1, 2);
        var estimator = ml.Transforms.NormalizeMinMax("N", "S");
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(SchemaShape.Create(data.Schema)));
        StringAssert.Contains(e.Message, "'S'");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.Fit(data));
    }
}
