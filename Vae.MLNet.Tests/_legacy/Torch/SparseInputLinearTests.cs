using Vae.MLNet.Torch;

namespace Vae.MLNet.Tests.Torch;

/// <summary>The zero-skipping linear layer of inference: the same numbers as the GEMM, row by row.</summary>
[TestClass]
public sealed class SparseInputLinearTests
{
    // Wᵀ with its rows padded to whole 16-float vectors, as the kernel reads it.
    private static torch.Tensor PaddedTranspose(torch.Tensor weight)
    {
        long outputs = weight.shape[0], padded = (outputs + 15) / 16 * 16;
        var transposed = torch.full([weight.shape[1], padded], 7.0); // garbage in the padding must not leak out
        transposed.narrow(1, 0, outputs).copy_(weight.t());
        return transposed;
    }

    // Rows from all zeros to fully dense, so both the kernel and the GEMM take some.
    private static torch.Tensor MixedDensityRows(int rows, int inputs, int seed)
    {
        var random = new Random(seed);
        var values = new float[rows * inputs];
        for (int r = 0; r < rows; r++)
        {
            double density = r % 5 == 0 ? 0 : r % 5 == 4 ? 1 : random.NextDouble() * 0.6;
            for (int j = 0; j < inputs; j++)
                if (random.NextDouble() < density) values[r * inputs + j] = (float)(random.NextDouble() * 2 - 1);
        }
        return torch.tensor(values, [rows, inputs]);
    }

    // Every kernel variant this CPU can run (the best one, then the narrower AVX2 and baseline builds). The choice is
    // process-wide, so nothing else runs meanwhile.
    [TestMethod]
    [DoNotParallelize]
    [DataRow("avx512")]
    [DataRow("avx2")]
    [DataRow("baseline")]
    public void MatchesTheGemmForEveryWidthAndDensity(string variant)
    {
        try
        {
            torch.nn.functional.sparse_input_linear_use(variant);
        }
        catch (TorchException)
        {
            Assert.Inconclusive($"This CPU cannot run the {variant} kernel.");
        }
        try
        {
            MatchesTheGemm();
        }
        finally
        {
            torch.nn.functional.sparse_input_linear_use("best");
        }
    }

    private static void MatchesTheGemm()
    {
        using var noGrad = torch.no_grad();
        foreach (int inputs in new[] { 1, 7, 33, 784 })
        foreach (int outputs in new[] { 1, 15, 16, 17, 20, 400, 450, 500 })
        foreach (bool withBias in new[] { true, false })
        {
            using var scope = torch.NewDisposeScope();
            var x = MixedDensityRows(37, inputs, seed: inputs * 1000 + outputs);
            var weight = torch.randn(outputs, inputs);
            var bias = withBias ? torch.randn(outputs) : null;
            var expected = torch.nn.functional.linear(x.to(torch.ScalarType.Float64), weight.to(torch.ScalarType.Float64), bias?.to(torch.ScalarType.Float64));
            var actual = torch.nn.functional.sparse_input_linear(x, PaddedTranspose(weight), bias, outputs, maxDensity: 0.3);
            TensorAssert.Shape([37, outputs], actual);
            double error = (actual.to(torch.ScalarType.Float64) - expected).abs().max().item<double>();
            Assert.IsTrue(error < 1e-4 * Math.Sqrt(inputs), $"in {inputs}, out {outputs}, bias {withBias}: off by {error}");
        }
    }

    // The kernel's rows (maxDensity 1 sends every row there); rows given to the GEMM are as OpenBLAS computes them,
    // which for a single row is a differently ordered small-matrix kernel.
    [TestMethod]
    public void ARowsResultDependsOnThatRowAlone()
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var x = MixedDensityRows(64, 100, seed: 3);
        var weight = torch.randn(50, 100);
        var bias = torch.randn(50);
        var padded = PaddedTranspose(weight);
        var batch = torch.nn.functional.sparse_input_linear(x, padded, bias, 50, maxDensity: 1).data<float>().ToArray();
        for (int r = 0; r < 64; r++)
        {
            var alone = torch.nn.functional.sparse_input_linear(x.narrow(0, r, 1), padded, bias, 50, maxDensity: 1).data<float>().ToArray();
            CollectionAssert.AreEqual(batch.Skip(r * 50).Take(50).ToArray(), alone, $"row {r}");
        }
    }

    [TestMethod]
    public void AnAllZeroRowGivesTheBiasAndNaNPropagatesAsInTheGemm()
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var values = new float[80];
        values[40 + 5] = float.NaN;
        var x = torch.tensor(values, [2, 40]);
        var weight = torch.randn(20, 40);
        var bias = torch.randn(20);
        var y = torch.nn.functional.sparse_input_linear(x, PaddedTranspose(weight), bias, 20, maxDensity: 1);
        CollectionAssert.AreEqual(bias.data<float>().ToArray(), y[0].data<float>().ToArray());
        Assert.IsTrue(y[1].data<float>().ToArray().All(float.IsNaN));
    }

    [TestMethod]
    public void OtherElementTypesUseTheGemm()
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var x = MixedDensityRows(9, 12, seed: 5).to(torch.ScalarType.Float64);
        var weight = torch.randn([5, 12], dtype: torch.ScalarType.Float64);
        var padded = torch.zeros([12, 16], dtype: torch.ScalarType.Float64);
        padded.narrow(1, 0, 5).copy_(weight.t());
        var y = torch.nn.functional.sparse_input_linear(x, padded, null, 5, maxDensity: 0.5);
        TensorAssert.Close(torch.nn.functional.linear(x, weight).data<double>().ToArray(), y, 1e-12);
    }

    [TestMethod]
    public void RefusesGradientsUnpaddedWeightsAndMismatchedShapes()
    {
        using var scope = torch.NewDisposeScope();
        var weight = PaddedTranspose(torch.randn(20, 8));
        var x = torch.rand(3, 8);
        x.requires_grad = true;
        var error = Assert.ThrowsException<TorchException>(() => torch.nn.functional.sparse_input_linear(x, weight, null, 20, 0.5));
        StringAssert.Contains(error.Message, "no_grad");
        using var noGrad = torch.no_grad();
        error = Assert.ThrowsException<TorchException>(() => torch.nn.functional.sparse_input_linear(x, torch.randn(8, 20), null, 20, 0.5));
        StringAssert.Contains(error.Message, "padded");
        error = Assert.ThrowsException<TorchException>(() => torch.nn.functional.sparse_input_linear(torch.rand(3, 9), weight, null, 20, 0.5));
        StringAssert.Contains(error.Message, "[3, 9]");
        error = Assert.ThrowsException<TorchException>(() => torch.nn.functional.sparse_input_linear(x, weight, torch.rand(19), 20, 0.5));
        StringAssert.Contains(error.Message, "bias");
    }
}
