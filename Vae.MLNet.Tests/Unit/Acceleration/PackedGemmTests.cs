using System.Runtime.Intrinsics.X86;
using Vae.MLNet.Acceleration.Gemm;

namespace Vae.MLNet.Tests.Unit.Acceleration;

/// <summary>The AVX-512 matrix product against a double-precision one: every transposition, edge sizes, accumulation, one and two threads.</summary>
[TestClass]
[DoNotParallelize] // sets PackedGemm.Threads, which is process-wide
public sealed unsafe class PackedGemmTests
{
    [TestMethod]
    [DataRow(1, 1, 1, false, false)]
    [DataRow(7, 9, 5, false, true)]
    [DataRow(9, 47, 3, true, false)]
    [DataRow(8, 48, 256, false, false)]
    [DataRow(17, 49, 257, true, true)]
    [DataRow(128, 784, 400, false, true)]
    [DataRow(300, 530, 70, true, false)]
    [DataRow(259, 100, 513, false, false)]
    [DataRow(33, 1000, 20, false, true)]
    public void TheProductMatchesDoublePrecision(int rows, int columns, int depth, bool transposeA, bool transposeB)
    {
        if (!Avx512F.IsSupported) Assert.Inconclusive("This processor has no AVX-512F.");
        var random = new Random(rows * 7919 + columns * 31 + depth);
        float[] a = Draw(random, rows * depth), b = Draw(random, depth * columns), start = Draw(random, rows * columns);
        // A stored rows × depth, or depth × rows when transposed; B depth × columns, or columns × depth.
        double A(int i, int k) => transposeA ? a[k * rows + i] : a[i * depth + k];
        double B(int k, int j) => transposeB ? b[j * depth + k] : b[k * columns + j];

        foreach (bool accumulate in new[] { false, true })
        {
            var c = (float[])start.Clone();
            fixed (float* pa = a, pb = b, pc = c)
            {
                var viewA = transposeA ? new PackedGemm.View(pa, 1, rows) : new PackedGemm.View(pa, depth, 1);
                var viewB = transposeB ? new PackedGemm.View(pb, 1, depth) : new PackedGemm.View(pb, columns, 1);
                PackedGemm.Multiply(rows, columns, depth, viewA, viewB, pc, columns, accumulate);
            }
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < columns; j++)
                {
                    double expected = accumulate ? start[i * columns + j] : 0, magnitude = Math.Abs(expected);
                    for (int k = 0; k < depth; k++)
                    {
                        expected += A(i, k) * B(k, j);
                        magnitude += Math.Abs(A(i, k) * B(k, j));
                    }
                    // float32 sums of `depth` terms: a few ulps of the sum of magnitudes.
                    Assert.AreEqual(expected, c[i * columns + j], 1e-6 * magnitude + 1e-7, $"C({i}, {j}), accumulate {accumulate}");
                }
        }
    }

    [TestMethod]
    [DataRow(128, 784, 400)]
    [DataRow(784, 400, 128)]
    [DataRow(9, 20, 5000)]
    public void TwoThreadsGiveTheSameBitsAsOne(int rows, int columns, int depth)
    {
        if (!Avx512F.IsSupported) Assert.Inconclusive("This processor has no AVX-512F.");
        var random = new Random(5);
        float[] a = Draw(random, rows * depth), b = Draw(random, depth * columns);
        float[] one = new float[rows * columns], two = new float[rows * columns];
        int previous = PackedGemm.Threads;
        // The helper runs only while a Fit (or this) holds it.
        using var helper = HelperThread.Enter();
        try
        {
            fixed (float* pa = a, pb = b, p1 = one, p2 = two)
            {
                PackedGemm.Threads = 1;
                PackedGemm.Multiply(rows, columns, depth, new(pa, depth, 1), new(pb, columns, 1), p1, columns, accumulate: false);
                PackedGemm.Threads = 2;
                PackedGemm.Multiply(rows, columns, depth, new(pa, depth, 1), new(pb, columns, 1), p2, columns, accumulate: false);
            }
        }
        finally
        {
            PackedGemm.Threads = previous;
        }
        CollectionAssert.AreEqual(one, two);
    }

    [TestMethod]
    public void ARowsResultDoesNotDependOnTheOtherRows()
    {
        if (!Avx512F.IsSupported) Assert.Inconclusive("This processor has no AVX-512F.");
        var random = new Random(9);
        const int rows = 300, columns = 70, depth = 600;
        float[] a = Draw(random, rows * depth), b = Draw(random, depth * columns);
        var all = new float[rows * columns];
        var single = new float[columns];
        fixed (float* pa = a, pb = b, pAll = all, pSingle = single)
        {
            PackedGemm.Multiply(rows, columns, depth, new(pa, depth, 1), new(pb, columns, 1), pAll, columns, accumulate: false);
            foreach (int row in new[] { 0, 7, 8, 263, 299 })
            {
                PackedGemm.Multiply(1, columns, depth, new(pa + row * depth, depth, 1), new(pb, columns, 1), pSingle, columns, accumulate: false);
                CollectionAssert.AreEqual(all[(row * columns)..((row + 1) * columns)], single, $"row {row}");
            }
        }
    }

    private static float[] Draw(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
}
