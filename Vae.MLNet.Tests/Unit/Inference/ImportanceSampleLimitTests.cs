using Microsoft.ML;
using TorchSharp;
using Vae.MLNet.Inference;
using Vae.MLNet.Networks;
using static TorchSharp.torch;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.Inference;

/// <summary>
/// The importance-weighted bounds finish and fit in memory: Evaluate's importanceSamples and the anomaly score's
/// AnomalyScoreImportanceSamples are bounded, and the score's per-row noise is drawn a chunk of samples at a time,
/// the same values as when it was drawn all at once.
/// </summary>
[TestClass]
public sealed class ImportanceSampleLimitTests
{
    private const int Input = 6, Latent = 8;

    private static VaeNetwork Network()
    {
        manual_seed(3);
        var network = new VaeNetwork(new VaeNetworkSpec
        {
            Architecture = VaeArchitecture.Mlp, Likelihood = VaeLikelihood.Gaussian, InputDimension = Input, LatentDimension = Latent, HiddenDimensions = [8],
        });
        network.eval();
        return network;
    }

    private static float[] Rows(int rows, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows * Input).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
    }

    [TestMethod]
    public void EvaluateRefusesMoreImportanceSamplesThanTheLimitNamingTheArgument()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(8));
        using var model = ml.Transforms.VaeEncode(new VaeOptions { LatentDimension = 2, HiddenDimensions = [8], Epochs = 1, Seed = 1 }).Fit(data);
        foreach (int k in new[] { VaeEvaluator.MaxImportanceSamples + 1, int.MaxValue, -1 })
        {
            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.Evaluate(data, importanceSamples: k));
            Assert.AreEqual("importanceSamples", e.ParamName);
            StringAssert.Contains(e.Message, VaeEvaluator.MaxImportanceSamples.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [TestMethod]
    public void TheAnomalyScoreRefusesMoreImportanceSamplesThanTheLimitNamingTheOption()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new MLContext().Transforms.VaeEncode(new VaeOptions
        {
            AnomalyScoreColumnName = "Score", AnomalyScoreImportanceSamples = VaeInferenceSettings.MaxImportanceSamples + 1,
        }));
        Assert.AreEqual(nameof(VaeOptions.AnomalyScoreImportanceSamples), e.ParamName);
        StringAssert.Contains(e.Message, VaeInferenceSettings.MaxImportanceSamples.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Row r's noise is its own generator's sequence, sample after sample, whatever the chunks.</summary>
    [TestMethod]
    public void ChunkedRowNoiseIsTheNoiseDrawnAllAtOnce()
    {
        const int rows = 5, count = 70;
        var features = Rows(rows, 1);
        // The layout RowNoise has always had: (sample, row, latent), row r from its own generator, sample-major.
        var expected = new float[count * rows * Latent];
        for (int r = 0; r < rows; r++)
        {
            var random = RowNoise.Generator(features.AsSpan(r * Input, Input), stream: 2);
            for (int c = 0; c < count; c++)
                for (int j = 0; j < Latent; j++) expected[(c * rows + r) * Latent + j] = RowNoise.Normal(random);
        }
        CollectionAssert.AreEqual(expected, RowNoise.Generate(features, rows, Input, count, Latent, stream: 2));
        var stream = new RowNoiseStream(features, rows, Input, Latent, stream: 2);
        var chunked = new List<float>();
        foreach (int chunk in new[] { 3, 32, 1, 34 })
        {
            var buffer = new float[chunk * rows * Latent];
            stream.Next(chunk, buffer);
            // Each chunk is (chunk, rows, latent): its samples follow the previous chunk's in every row.
            chunked.AddRange(buffer);
        }
        CollectionAssert.AreEqual(expected, chunked.ToArray());
    }

    /// <summary>
    /// The score from chunks (several of them for a full batch) against the bound computed in one piece from the
    /// noise drawn all at once, as before: equal up to float rounding of the log-sum-exp.
    /// </summary>
    [TestMethod]
    public void TheChunkedScoreIsTheBoundOverAllTheNoise()
    {
        const int rows = 256, k = 100;
        using var network = Network();
        var features = Rows(rows, 2);
        var settings = new VaeInferenceSettings(0, 0.01, k);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var observed = new Observation(tensor(features, [rows, Input]), null);
        var (mean, logVariance) = network.Encode(observed.X, null);
        var score = settings.AnomalyScore(network, observed, features, mean, logVariance).data<float>().ToArray();
        var noise = tensor(RowNoise.Generate(features, rows, Input, k, Latent, stream: 2), [k, rows, Latent]);
        var logWeights = new VaeEvaluator(network, settings).LogWeights(observed, mean, logVariance, noise);
        using var logK = Math.Log(k).ToScalar();
        var expected = logWeights.logsumexp(0).neg().add(logK).data<float>().ToArray();
        for (int r = 0; r < rows; r++) Assert.AreEqual(expected[r], score[r], 1e-4 * Math.Max(1, Math.Abs(expected[r])), $"row {r}");
    }

    /// <summary>
    /// The managed memory a score allocates is a chunk's noise and change: with all the noise drawn at once, 4,096
    /// samples × 64 rows × 8 latent floats would be 8.4 MB.
    /// </summary>
    [TestMethod]
    public void TheScoresManagedAllocationIsBoundedByAChunk()
    {
        const int rows = 64, k = 4096;
        using var network = Network();
        var features = Rows(rows, 3);
        var settings = new VaeInferenceSettings(0, 0.01, k);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var observed = new Observation(tensor(features, [rows, Input]), null);
        var (mean, logVariance) = network.Encode(observed.X, null);
        settings.AnomalyScore(network, observed, features, mean, logVariance).Dispose();
        long before = GC.GetAllocatedBytesForCurrentThread();
        settings.AnomalyScore(network, observed, features, mean, logVariance).Dispose();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long chunkNoise = (long)VaeEvaluator.SamplesPerChunk(rows) * rows * Latent * sizeof(float);
        long allAtOnce = (long)k * rows * Latent * sizeof(float);
        // A chunk's noise buffer, the rows' generators, and TorchSharp's objects of each chunk's tensors.
        long bound = 2 * chunkNoise + 2_000_000;
        Assert.IsTrue(allocated < bound && bound < allAtOnce, $"allocated {allocated:N0} bytes (bound {bound:N0}; the noise at once: {allAtOnce:N0})");
    }
}
