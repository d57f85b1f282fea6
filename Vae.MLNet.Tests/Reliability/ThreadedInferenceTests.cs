using Microsoft.ML;
using Vae.MLNet.Tests.Support.ModelFiles;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>
/// The thread rules in <see cref="VaeTransformer"/>'s XML docs, held to: eight threads, each with its own ML.NET
/// PredictionEngine over one shared pipeline (a normalizer and a VAE with refinement and an anomaly score, its
/// noisiest outputs), and eight threads each running its own cursor over the transformed view, all get exactly what
/// one thread gets. (Parallel cursors from GetRowCursorSet: MappingTests.ParallelCursorsOnSeparateThreadsGiveExactlyTheRowsOfOneCursor.)
/// </summary>
[TestClass]
public sealed class ThreadedInferenceTests
{
    private sealed class Output
    {
        public float[] LatentMean { get; set; } = [];
        public float[] LatentLogVariance { get; set; } = [];
        public float[] Reconstruction { get; set; } = [];
        public float AnomalyScore { get; set; }
    }

    private static readonly MLContext Ml = new(seed: 5);
    private static readonly SampleRow[] Rows = ModelSamples.Rows(300, seed: 4);
    private static readonly Lazy<ITransformer> _model = new(() => Ml.Transforms.NormalizeMeanVariance("Features")
        .Append(Ml.Transforms.VaeEncode(new VaeOptions
        {
            LatentDimension = 2, HiddenDimensions = [8], Epochs = 2, Seed = 1, RefinementSteps = 3, AnomalyScoreColumnName = "AnomalyScore",
        }))
        .Fit(Ml.Data.LoadFromEnumerable(Rows)));

    private static void ExpectSame(Output[] expected, Output[][] results)
    {
        for (int t = 0; t < results.Length; t++)
        {
            Assert.HasCount(expected.Length, results[t], $"thread {t}");
            for (int i = 0; i < expected.Length; i++)
            {
                CollectionAssert.AreEqual(expected[i].LatentMean, results[t][i].LatentMean, $"thread {t}, row {i}");
                CollectionAssert.AreEqual(expected[i].LatentLogVariance, results[t][i].LatentLogVariance, $"thread {t}, row {i}");
                CollectionAssert.AreEqual(expected[i].Reconstruction, results[t][i].Reconstruction, $"thread {t}, row {i}");
                Assert.AreEqual(expected[i].AnomalyScore, results[t][i].AnomalyScore, $"thread {t}, row {i}");
            }
        }
    }

    private static Output[][] OnEightThreads(Func<int, Output[]> work)
    {
        var results = new Output[8][];
        var errors = new Exception?[8];
        using var start = new Barrier(8);
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                results[t] = work(t);
            }
            catch (Exception e)
            {
                errors[t] = e;
            }
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        foreach (var e in errors)
            if (e is not null) throw new AssertFailedException($"a thread failed: {e}");
        return results;
    }

    [TestMethod]
    public void EightThreadsEachWithItsOwnPredictionEngineGetExactlyTheSingleThreadResults()
    {
        var model = _model.Value;
        // Engines are not disposed: ML.NET's PredictionEngine.Dispose disposes the model it was made from.
        var expected = Rows.Select(Ml.Model.CreatePredictionEngine<SampleRow, Output>(model).Predict).ToArray();
        var results = OnEightThreads(t =>
        {
            var engine = Ml.Model.CreatePredictionEngine<SampleRow, Output>(model);
            // Each thread visits the rows in its own order, so no two threads predict the same row at the same moment.
            var mine = new Output[Rows.Length];
            foreach (int i in Enumerable.Range(0, Rows.Length).OrderBy(i => (i * (t + 7)) % Rows.Length))
                mine[i] = engine.Predict(Rows[i]);
            return mine;
        });
        ExpectSame(expected, results);
    }

    [TestMethod]
    public void EightThreadsEachWithItsOwnCursorGetExactlyTheSingleThreadRows()
    {
        var transformed = _model.Value.Transform(Ml.Data.LoadFromEnumerable(Rows));
        var expected = Ml.Data.CreateEnumerable<Output>(transformed, reuseRowObject: false, ignoreMissingColumns: true).ToArray();
        ExpectSame(expected, OnEightThreads(_ => Ml.Data.CreateEnumerable<Output>(transformed, reuseRowObject: false, ignoreMissingColumns: true).ToArray()));
    }
}
