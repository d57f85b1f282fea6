using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Tests.Support;
namespace Vae.MLNet.Tests.Reliability;

[TestClass]
public sealed class VaeConcurrencyTests
{
    private sealed class Output
    {
        public float[] LatentMean { get; set; } = [];
        public float[] Reconstruction { get; set; } = [];
        public float AnomalyScore { get; set; }
    }

    [TestMethod]
    public void EightThreadsTransformingAtOnceGetExactlyTheSingleThreadResults()
    {
        var ml = new MLContext(seed: 3);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LinearGaussian(700));
        using var model = ml.Transforms.VaeEncode(new VaeOptions
        {
            LatentDimension = 3, HiddenDimensions = [16], Epochs = 2, RefinementSteps = 3, AnomalyScoreColumnName = "AnomalyScore",
        }).Fit(data);
        var transformed = model.Transform(data);
        var expected = ml.Data.CreateEnumerable<Output>(transformed, false, ignoreMissingColumns: true).ToArray();

        var results = new Output[8][];
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
            results[t] = ml.Data.CreateEnumerable<Output>(transformed, false, ignoreMissingColumns: true).ToArray())).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();

        foreach (var result in results)
        {
            Assert.AreEqual(expected.Length, result.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                CollectionAssert.AreEqual(expected[i].LatentMean, result[i].LatentMean, $"row {i}");
                CollectionAssert.AreEqual(expected[i].Reconstruction, result[i].Reconstruction, $"row {i}");
                Assert.AreEqual(expected[i].AnomalyScore, result[i].AnomalyScore, $"row {i}");
            }
        }
    }
}
