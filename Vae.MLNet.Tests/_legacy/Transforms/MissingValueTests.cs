using Vae.MLNet.Tests.Data;
using Mode = Vae.MLNet.Transforms.MissingValueReplacingEstimator.ReplacementMode;

namespace Vae.MLNet.Tests.Transforms;

[TestClass]
public sealed class MissingValueTests
{
    private sealed class Row
    {
        public float X { get; set; }

        [Vae.MLNet.Data.VectorType(2)]
        public double[] V { get; set; } = [];
    }

    private static IDataView Data(MLContext ml) => ml.Data.LoadFromEnumerable(new[]
    {
        new Row { X = 1, V = [1, 10] },
        new Row { X = float.NaN, V = [double.NaN, 20] },
        new Row { X = 5, V = [3, double.NaN] },
        new Row { X = 5, V = [3, 20] },
    });

    [DataTestMethod]
    [DataRow(Mode.DefaultValue, 0f)]
    [DataRow(Mode.Mean, 11f / 3)]
    [DataRow(Mode.Minimum, 1f)]
    [DataRow(Mode.Maximum, 5f)]
    [DataRow(Mode.Mode, 5f)]
    public void ScalarReplacementFollowsMode(Mode mode, float expected)
    {
        var ml = new MLContext();
        var data = Data(ml);
        var output = ml.Transforms.ReplaceMissingValues("R", "X", mode).Fit(data).Transform(data);
        TestData.AreClose([1f, expected, 5f, 5f], TestData.Column<float>(output, "R"));
    }

    [TestMethod]
    public void VectorReplacementIsPerSlotOrPooled()
    {
        var ml = new MLContext();
        var data = Data(ml);
        var bySlot = ml.Transforms.ReplaceMissingValues("R", "V", Mode.Mean).Fit(data).Transform(data);
        var rows = TestData.Column<Vae.MLNet.Data.VBuffer<double>>(bySlot, "R").Select(v => v.DenseValues().ToArray()).ToList();
        Assert.AreEqual(7.0 / 3, rows[1][0], 1e-12);
        Assert.AreEqual(50.0 / 3, rows[2][1], 1e-12);

        var pooled = ml.Transforms.ReplaceMissingValues("R", "V", Mode.Maximum, imputeBySlot: false).Fit(data).Transform(data);
        var pooledRows = TestData.Column<Vae.MLNet.Data.VBuffer<double>>(pooled, "R").Select(v => v.DenseValues().ToArray()).ToList();
        Assert.AreEqual(20.0, pooledRows[1][0]);
        Assert.AreEqual(20.0, pooledRows[2][1]);
    }
}
