using Vae.MLNet.Acceleration.Encoder;

namespace Vae.MLNet.Tests.Unit.Acceleration;

/// <summary>The sparse-input affine layer, with 512-bit and with 256-bit registers, against the product in double precision.</summary>
[TestClass]
public sealed class AffineLayerTests
{
    [TestMethod]
    [DataRow(37, 70, 0.0, true)]
    [DataRow(37, 70, 0.2, true)]
    [DataRow(37, 70, 1.0, true)]
    [DataRow(784, 400, 0.19, true)]
    [DataRow(37, 70, 0.2, false)]
    [DataRow(784, 400, 0.19, false)]
    [DataRow(16, 64, 1.0, false)]
    public void TheLayerComputesWxPlusB(int inputs, int outputs, double density, bool avx512)
    {
        var random = new Random(inputs * 31 + outputs);
        const int rows = 9;
        var weights = Enumerable.Range(0, inputs * outputs).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var bias = Enumerable.Range(0, outputs).Select(_ => (float)random.NextDouble()).ToArray();
        var x = Enumerable.Range(0, rows * inputs).Select(_ => random.NextDouble() < density ? (float)(random.NextDouble() * 2 - 1) : 0f).ToArray();
        var y = new float[rows * outputs];
        new AffineLayer(weights, bias, avx512).Apply(x, rows, y, new NonZeroScratch(rows * inputs, rows));
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < outputs; o++)
            {
                double expected = bias[o];
                for (int i = 0; i < inputs; i++) expected += (double)weights[o * inputs + i] * x[r * inputs + i];
                Assert.AreEqual(expected, y[r * outputs + o], 1e-5 * (1 + Math.Abs(expected)), $"row {r}, output {o}");
            }
        }
    }

    [TestMethod]
    public void BothGathersFindTheSameNonZerosInOrder()
    {
        var random = new Random(7);
        const int rows = 5, width = 53; // not a multiple of 16 or 8: every tail runs
        var x = Enumerable.Range(0, rows * width).Select(_ => random.NextDouble() < 0.3 ? (float)random.NextDouble() : 0f).ToArray();
        x[width] = -0f; // negative zero is zero
        var wide = new NonZeroScratch(rows * width, rows);
        var narrow = new NonZeroScratch(rows * width, rows);
        wide.Gather(x, rows, width, avx512: true);
        narrow.Gather(x, rows, width, avx512: false);
        CollectionAssert.AreEqual(narrow.Starts, wide.Starts);
        int count = narrow.Starts[rows];
        Assert.AreEqual(x.Count(v => v != 0), count);
        CollectionAssert.AreEqual(narrow.Indices[..count], wide.Indices[..count]);
        CollectionAssert.AreEqual(narrow.Values[..count], wide.Values[..count]);
    }
}
