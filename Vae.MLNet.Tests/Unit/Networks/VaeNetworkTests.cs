using TorchSharp;
using Vae.MLNet.Networks;
using Vae.MLNet.Training;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.Networks;

[TestClass]
public sealed class VaeNetworkTests
{
    private static VaeNetworkSpec Spec(VaeArchitecture architecture, int input, int[] hidden, int[]? image = null, bool batchNorm = false, int condition = 0) => new()
    {
        Architecture = architecture, Likelihood = VaeLikelihood.Bernoulli, InputDimension = input, LatentDimension = 3,
        HiddenDimensions = hidden, ImageShape = image, UseBatchNorm = batchNorm, ConditionDimension = condition,
    };

    [TestMethod]
    public void MlpEncodesToTwoHeadsAndDecodesToTheInputSize()
    {
        using var scope = torch.NewDisposeScope();
        using var net = new VaeNetwork(Spec(VaeArchitecture.Mlp, 10, [8, 4]));
        var (mean, logVariance) = net.Encode(torch.rand(5, 10));
        TensorChecks.Shape([5, 3], mean);
        TensorChecks.Shape([5, 3], logVariance);
        TensorChecks.Shape([5, 10], net.Decode(mean));
        CollectionAssert.AreEqual(
            new[] { "encoder.0.weight", "encoder.0.bias", "encoder.2.weight", "encoder.2.bias", "mean_head.weight", "mean_head.bias",
                    "log_variance_head.weight", "log_variance_head.bias", "decoder.0.weight", "decoder.0.bias", "decoder.2.weight",
                    "decoder.2.bias", "decoder.4.weight", "decoder.4.bias" },
            net.named_parameters().Select(p => p.name).ToArray());
        TensorChecks.Shape([4, 3], net.named_parameters().First(p => p.name == "decoder.0.weight").parameter);
    }

    [TestMethod]
    public void ConvolutionalNetworksRestoreEvenAndOddImageSizes()
    {
        using var scope = torch.NewDisposeScope();
        foreach (int[] image in new[] { new[] { 1, 28, 28 }, [3, 7, 7], [2, 12, 6] })
        {
            int size = image[0] * image[1] * image[2];
            using var net = new VaeNetwork(Spec(VaeArchitecture.Convolutional, size, [8, 16], image, batchNorm: true));
            var (mean, _) = net.Encode(torch.rand(4, size));
            TensorChecks.Shape([4, 3], mean);
            TensorChecks.Shape([4, size], net.Decode(mean));
        }
    }

    [TestMethod]
    public void ConditionsAreFedToEncoderAndDecoder()
    {
        using var scope = torch.NewDisposeScope();
        // Seeded and 16 wide, so the test never meets an initialization whose ReLUs are all off for these inputs.
        using var generator = new torch.Generator(3);
        using var net = new VaeNetwork(Spec(VaeArchitecture.Mlp, 6, [16], condition: 2), generator);
        var x = torch.rand(3, 6);
        var c1 = torch.tensor(new float[] { 1, 0, 1, 0, 1, 0 }, [3, 2]);
        var c2 = torch.tensor(new float[] { 0, 1, 0, 1, 0, 1 }, [3, 2]);
        Assert.IsGreaterThan(1e-4f, (net.Encode(x, c1).mean - net.Encode(x, c2).mean).abs().max().item<float>(), "the encoder sees the condition");
        var z = torch.zeros(3, 3);
        Assert.IsGreaterThan(1e-4f, (net.Decode(z, c1) - net.Decode(z, c2)).abs().max().item<float>(), "the decoder sees the condition");
    }

    [TestMethod]
    public void TheSameInitializationSeedGivesTheSameWeights()
    {
        using var scope = torch.NewDisposeScope();
        var spec = Spec(VaeArchitecture.Convolutional, 36, [4, 8], [1, 6, 6], batchNorm: true, condition: 2);
        using var g1 = new torch.Generator(11);
        using var g2 = new torch.Generator(11);
        using var g3 = new torch.Generator(12);
        using var a = new VaeNetwork(spec, g1);
        using var b = new VaeNetwork(spec, g2);
        using var c = new VaeNetwork(spec, g3);
        foreach (var ((name, p), (_, q), (_, r)) in a.named_parameters().Zip(b.named_parameters(), c.named_parameters()))
        {
            Assert.AreEqual(0f, (p - q).abs().max().item<float>(), name);
            if (name.EndsWith(".weight", StringComparison.Ordinal) && p.dim() >= 2)
            {
                Assert.IsGreaterThan(0f, (p - r).abs().max().item<float>(), $"{name}: another seed draws other weights");
                // PyTorch's default: U(±1/√fan_in).
                long fanIn = p.shape.Skip(1).Aggregate(1L, (x, y) => x * y);
                Assert.IsLessThanOrEqualTo((float)(1 / Math.Sqrt(fanIn)), p.abs().max().item<float>(), name);
            }
        }
    }

    [TestMethod]
    public void LogVarianceIsClampedAndItsHeadBiasCanStartLow()
    {
        using var scope = torch.NewDisposeScope();
        var spec = Spec(VaeArchitecture.Mlp, 4, [4]) with { LogVarianceMin = -1, LogVarianceMax = 1, LogVarianceInitialBias = -5 };
        using var net = new VaeNetwork(spec);
        var (_, logVariance) = net.Encode(torch.rand(10, 4));
        Assert.AreEqual(-1f, logVariance.max().item<float>(), 1e-6f, "a bias of -5 is clamped up to -1");
    }

    [TestMethod]
    public void TrainingOnStructuredDataLowersTheLoss()
    {
        var random = new Random(1);
        var rows = Enumerable.Range(0, 512).Select(_ =>
        {
            bool bright = random.Next(2) == 0;
            return Enumerable.Range(0, 16).Select(j => (float)(bright == (j < 8) ? 0.9 : 0.1)).ToArray();
        }).ToList();
        torch.manual_seed(0);
        using var net = new VaeNetwork(Spec(VaeArchitecture.Mlp, 16, [32]));
        var options = new VaeOptions { Epochs = 8, BatchSize = 32, LearningRate = 1e-2, Likelihood = VaeLikelihood.Bernoulli };
        using var generator = new torch.Generator(0);
        var history = new VaeTrainingLoop(net, options, torch.CPU, _ => { }).Run(new ArrayBatchSource(rows), null, seed: 0, generator, checkpoint: null);
        Assert.AreEqual(8, history.Count);
        Assert.IsTrue(history[^1].Loss < history[0].Loss - 0.5, $"loss went from {history[0].Loss} to {history[^1].Loss}");
        // The data's entropy floor: 16 · H(0.9) = 16 · 0.325 nats.
        Assert.IsTrue(history[^1].ReconstructionLoss < 16 * 0.45, $"reconstruction {history[^1].ReconstructionLoss}");
    }

    // Inference runs under no_grad (and EncodeMean skips the log σ² head): it must give the autograd path's numbers,
    // also after the weights change through Adam's steps or load_state_dict.
    [TestMethod]
    public void InferenceMatchesTheAutogradPathAndFollowsWeightChanges()
    {
        using var scope = torch.NewDisposeScope();
        foreach (var spec in new[] { Spec(VaeArchitecture.Mlp, 36, [24, 12], condition: 2), Spec(VaeArchitecture.Convolutional, 36, [4, 8], [1, 6, 6], condition: 2) })
        {
            using var net = new VaeNetwork(spec);
            var x = torch.rand(16, 36) * torch.rand(16, 36).lt(0.3).to(torch.ScalarType.Float32);
            var condition = torch.rand(16, 2);
            using var adam = torch.optim.Adam(net.parameters(), lr: 0.05);

            void AssertInferenceMatches(string when)
            {
                var (mean, logVariance) = net.Encode(x, condition);
                using var noGrad = torch.no_grad();
                var (fastMean, fastLogVariance) = net.Encode(x, condition);
                Assert.IsLessThan(1e-5f, (mean - fastMean).abs().max().item<float>(), $"{spec.Architecture}, {when}: means differ");
                Assert.IsLessThan(1e-5f, (logVariance - fastLogVariance).abs().max().item<float>(), $"{spec.Architecture}, {when}: log-variances differ");
                Assert.AreEqual(0f, (net.EncodeMean(x, condition) - fastMean).abs().max().item<float>(), $"{spec.Architecture}, {when}: EncodeMean differs");
            }

            AssertInferenceMatches("at the start");
            for (int step = 0; step < 3; step++)
            {
                adam.zero_grad();
                var (mean, logVariance) = net.Encode(x, condition);
                (mean.pow(2).sum() + logVariance.exp().sum()).backward();
                adam.step();
                AssertInferenceMatches($"after step {step}");
            }
            using var other = new VaeNetwork(spec);
            net.load_state_dict(other.state_dict());
            AssertInferenceMatches("after load_state_dict");
            var first = net.named_parameters().First().parameter;
            var copied = other.named_parameters().First().parameter;
            Assert.AreEqual(0f, (first - copied).abs().max().item<float>(), "load_state_dict copied the weights");
        }
    }
}
