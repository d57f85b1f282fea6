using TorchSharp;
using TorchSharp.Modules;
using Vae.MLNet.Acceleration.Encoder;
using Vae.MLNet.Backend;
using Vae.MLNet.Networks;
using static TorchSharp.torch;

namespace Vae.MLNet.Tests.Unit.Acceleration;

/// <summary>The managed encoder kernel (PredictionEngine's and sparse batches' path) against the torch network it was copied from.</summary>
[TestClass]
public sealed class MlpEncoderKernelTests
{
    [TestMethod]
    [DataRow(false, 0, 0.2, 4, DisplayName = "one hidden layer, sparse input")]
    [DataRow(false, 0, 1.0, 4, DisplayName = "one hidden layer, dense input")]
    [DataRow(true, 0, 0.5, 4, DisplayName = "batch norm folded")]
    [DataRow(true, 3, 0.3, 4, DisplayName = "batch norm and a condition")]
    [DataRow(true, 3, 0.2, 301, DisplayName = "a batch, batch norm and a condition")]
    public void KernelGivesTheNetworksMeanAndClampedLogVariance(bool batchNorm, int conditionSize, double density, int rows)
    {
        var spec = new VaeNetworkSpec
        {
            Architecture = VaeArchitecture.Mlp, Likelihood = VaeLikelihood.Bernoulli, InputDimension = 50, LatentDimension = 7,
            HiddenDimensions = [70, 33], UseBatchNorm = batchNorm, ConditionDimension = conditionSize, LogVarianceMin = -0.05, LogVarianceMax = 0.05,
        };
        using var network = new VaeNetwork(spec, new Generator(11));
        if (batchNorm) RandomizeRunningStatistics(network);
        network.eval();
        var random = new Random(2);
        var x = Enumerable.Range(0, rows * 50).Select(_ => random.NextDouble() < density ? (float)random.NextDouble() : 0f).ToArray();
        var condition = conditionSize == 0 ? null : Enumerable.Range(0, rows * conditionSize).Select(i => i % conditionSize == i / conditionSize % conditionSize ? 1f : 0f).ToArray();
        var mean = new float[rows * 7];
        var logVariance = new float[rows * 7];
        new MlpEncoderKernel(network.DescribeEncoder()!).Encode(x, condition, rows, mean, logVariance);

        using var noGrad = no_grad();
        using var xt = TensorCopy.FromSpan(x, rows, 50);
        using var ct = condition is null ? null : TensorCopy.FromSpan(condition, rows, conditionSize);
        var (expectedMean, expectedLogVariance) = network.Encode(xt, ct);
        AssertClose(TensorCopy.ToArray(expectedMean), mean, "μ");
        AssertClose(TensorCopy.ToArray(expectedLogVariance), logVariance, "log σ²");
        Assert.IsTrue(logVariance.All(v => v is >= -0.05f and <= 0.05f), "log σ² is clamped to the network's range");
        Assert.IsTrue(logVariance.Any(v => v is -0.05f or 0.05f), "the narrow range makes the clamp bite");
        expectedMean.Dispose();
        expectedLogVariance.Dispose();
    }

    [TestMethod]
    [DataRow(4)]
    [DataRow(150, DisplayName = "a batch")]
    public void ARowsResultDoesNotDependOnTheOtherRowsOfItsCall(int rows)
    {
        var spec = new VaeNetworkSpec { Architecture = VaeArchitecture.Mlp, Likelihood = VaeLikelihood.Bernoulli, InputDimension = 40, LatentDimension = 5, HiddenDimensions = [64] };
        using var network = new VaeNetwork(spec, new Generator(4));
        network.eval();
        var kernel = new MlpEncoderKernel(network.DescribeEncoder()!);
        var random = new Random(9);
        var x = Enumerable.Range(0, rows * 40).Select(_ => random.NextDouble() < 0.3 ? (float)random.NextDouble() : 0f).ToArray();
        var together = new float[rows * 5];
        kernel.Encode(x, null, rows, together, null);
        for (int row = 0; row < rows; row++)
        {
            var alone = new float[5];
            kernel.Encode(x[(row * 40)..((row + 1) * 40)], null, 1, alone, null);
            CollectionAssert.AreEqual(together[(row * 5)..((row + 1) * 5)], alone, $"row {row}");
        }
    }

    [TestMethod]
    public void TheConvolutionalArchitectureHasNoDescription()
    {
        var spec = new VaeNetworkSpec { Architecture = VaeArchitecture.Convolutional, Likelihood = VaeLikelihood.Bernoulli, InputDimension = 64, LatentDimension = 2, HiddenDimensions = [4], ImageShape = [1, 8, 8] };
        using var network = new VaeNetwork(spec, new Generator(1));
        Assert.IsNull(network.DescribeEncoder());
    }

    [TestMethod]
    public void TheKernelServesFewRowsAlwaysAndBatchesOnlyWhenSparse()
    {
        var random = new Random(3);
        float[] Rows(int count, double density) => Enumerable.Range(0, count * 100).Select(_ => random.NextDouble() < density ? 1f : 0f).ToArray();
        Assert.IsTrue(MlpEncoderKernel.Serves(Rows(MlpEncoderKernel.FewRows, 1.0), MlpEncoderKernel.FewRows));
        Assert.IsTrue(MlpEncoderKernel.Serves(Rows(128, 0.19), 128), "MNIST's density");
        Assert.IsFalse(MlpEncoderKernel.Serves(Rows(128, 0.5), 128), "half non-zero");
        Assert.AreEqual(38, NonZeroScratch.Count([.. Enumerable.Repeat(2f, 37), .. new float[20], -0.5f]), "58 values: seven vectors and a tail");
    }

    private static void RandomizeRunningStatistics(VaeNetwork network)
    {
        var generator = new Generator(5);
        using var noGrad = no_grad();
        foreach (var norm in network.EncoderBodyLayers.OfType<BatchNorm1d>())
        {
            norm.running_mean!.copy_(randn(norm.running_mean.shape, generator: generator) * 0.3);
            norm.running_var!.copy_(rand(norm.running_var.shape, generator: generator) + 0.5);
            norm.weight!.copy_(rand(norm.weight.shape, generator: generator) + 0.5);
            norm.bias!.copy_(randn(norm.bias.shape, generator: generator) * 0.1);
        }
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.HasCount(expected.Length, actual);
        for (int i = 0; i < expected.Length; i++)
            Assert.IsTrue(Math.Abs(expected[i] - actual[i]) <= 1e-5f + 1e-5f * Math.Abs(expected[i]), $"{what}[{i}]: torch {expected[i]}, kernel {actual[i]}");
    }
}
