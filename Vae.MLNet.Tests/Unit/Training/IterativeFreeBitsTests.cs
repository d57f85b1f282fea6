using Microsoft.ML;
using TorchSharp;
using Vae.MLNet.Backend;
using Vae.MLNet.Networks;
using Vae.MLNet.Training;
using static TorchSharp.torch;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.Training;

/// <summary>
/// FreeBits with InferenceIterations: the iterative objective's KL term at each refined posterior is the free-bits
/// one, Σ_d max(λ, mean over rows of KL_d), as in the plain ELBO (the refined posterior is still a diagonal Gaussian).
/// </summary>
[TestClass]
public sealed class IterativeFreeBitsTests
{
    private static VaeOptions Options(double freeBits) => new()
    {
        LatentDimension = 3, HiddenDimensions = [16], Epochs = 2, BatchSize = 32, Seed = 3, InferenceIterations = 2, FreeBits = freeBits,
    };

    /// <summary>
    /// The same batch and noise: the loss with λ = 5 nats exceeds the plain one by Σ_d (5 − KL̄_d) where the
    /// dimensions' KL is below 5 (averaged over the iterations), which is what free bits adds.
    /// </summary>
    [TestMethod]
    public void FreeBitsRaiseTheIterativeLossByTheMissingNats()
    {
        var rows = SyntheticData.LinearGaussian(32);
        manual_seed(7);
        var spec = new VaeNetworkSpec
        {
            Architecture = VaeArchitecture.Mlp, Likelihood = VaeLikelihood.Gaussian, InputDimension = SyntheticData.Dimension, LatentDimension = 3,
            HiddenDimensions = [16], InferenceIterations = 2, InferenceHiddenDimension = 64,
        };
        using var network = new VaeNetwork(spec);
        network.IterativeInference!.InitializeGates();
        double Loss(double freeBits)
        {
            using var scope = NewDisposeScope();
            using var generator = new Generator(11);
            using var draws = Noise.Use(generator);
            var x = tensor(rows.SelectMany(r => r.Features).ToArray(), [rows.Length, SyntheticData.Dimension]);
            return new TrainingObjective(network, Options(freeBits)).Compute(new Observation(x, null), 1).Loss.ToDouble();
        }
        double plain = Loss(0), free = Loss(5);
        // Each dimension's KL of an untrained model is far below 5 nats, so every dimension is lifted to 5.
        Assert.IsTrue(free - plain > 3 * 5 * 0.5, $"loss {plain} without free bits, {free} with 5 nats per dimension");
        Assert.IsTrue(free - plain <= 3 * 5 + 1e-4, $"loss {plain} without free bits, {free} with 5 nats per dimension: at most 15 nats more");
    }

    private sealed class LatentRow
    {
        public float[] LatentMean { get; set; } = [];
    }

    [TestMethod]
    public void FreeBitsChangeTheFittedModel()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(96));
        float[] Means(double freeBits)
        {
            using var model = ml.Transforms.VaeEncode(Options(freeBits)).Fit(data);
            return ml.Data.CreateEnumerable<LatentRow>(model.Transform(data), false, ignoreMissingColumns: true).SelectMany(r => r.LatentMean).ToArray();
        }
        var plain = Means(0);
        var free = Means(5);
        double difference = plain.Zip(free, (a, b) => Math.Abs(a - b)).Max();
        Assert.IsTrue(difference > 1e-3, $"FreeBits = 5 left the latent means within {difference} of FreeBits = 0: the option was ignored");
    }
}
