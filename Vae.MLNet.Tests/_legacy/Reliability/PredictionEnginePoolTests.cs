using Vae.MLNet.Tests.Variational;

namespace Vae.MLNet.Tests.Reliability;

[TestClass]
public sealed class PredictionEnginePoolTests
{
    private sealed class Output
    {
        public float[] LatentMean { get; set; } = [];
        public float[] Reconstruction { get; set; } = [];
        public float AnomalyScore { get; set; }
    }

    private sealed class WrongInput
    {
        public float[] Other { get; set; } = [];
    }

    private static readonly Lazy<(MLContext Ml, ITransformer Model, LabelledRow[] Rows)> _vae = new(() =>
    {
        var ml = new MLContext(seed: 5);
        var rows = SyntheticData.LinearGaussian(400, seed: 3);
        var model = ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.Transforms.VaeEncode(new VaeOptions
            {
                LatentDimension = 2, HiddenDimensions = [8], Epochs = 2, RefinementSteps = 2, AnomalyScoreColumnName = "AnomalyScore",
            }))
            .Fit(ml.Data.LoadFromEnumerable(rows));
        return (ml, model, rows);
    });

    [TestMethod]
    public void EightThreadsPredictingThroughThePoolGetExactlyTheSingleThreadResults()
    {
        var (ml, model, rows) = _vae.Value;
        Output[] expected;
        using (var engine = ml.Model.CreatePredictionEngine<LabelledRow, Output>(model))
            expected = rows.Select(engine.Predict).ToArray();

        // Fewer retained engines than threads, so engines are also created and disposed while others predict.
        using var pool = new PredictionEnginePool<LabelledRow, Output>(ml, model, maximumRetained: 3);
        var results = new Output[8][];
        using var start = new Barrier(8);
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            // Each thread visits the rows in its own order; odd threads rent an engine for a run of rows.
            var order = Enumerable.Range(0, rows.Length).OrderBy(i => (i * (t + 3)) % rows.Length).ToArray();
            var mine = new Output[rows.Length];
            start.SignalAndWait();
            for (int k = 0; k < order.Length; k += 10)
            {
                if (t % 2 == 0)
                {
                    foreach (int i in order.Skip(k).Take(10))
                        mine[i] = pool.Predict(rows[i]);
                    continue;
                }
                var engine = pool.GetPredictionEngine();
                foreach (int i in order.Skip(k).Take(10))
                    mine[i] = engine.Predict(rows[i]);
                pool.ReturnPredictionEngine(engine);
            }
            results[t] = mine;
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();

        for (int t = 0; t < results.Length; t++)
        {
            for (int i = 0; i < expected.Length; i++)
            {
                CollectionAssert.AreEqual(expected[i].LatentMean, results[t][i].LatentMean, $"thread {t}, row {i}");
                CollectionAssert.AreEqual(expected[i].Reconstruction, results[t][i].Reconstruction, $"thread {t}, row {i}");
                Assert.AreEqual(expected[i].AnomalyScore, results[t][i].AnomalyScore, $"thread {t}, row {i}");
            }
        }
    }

    [TestMethod]
    public void ThePoolRetainsAtMostItsBoundAndDisposesTheRest()
    {
        var (ml, model, rows) = _vae.Value;
        using var pool = new PredictionEnginePool<LabelledRow, Output>(ml, model, maximumRetained: 3);
        var rented = Enumerable.Range(0, 10).Select(_ => pool.GetPredictionEngine()).ToArray();
        Assert.AreEqual(10, rented.Distinct().Count(), "ten engines in use at once are ten engines");
        foreach (var engine in rented)
            pool.ReturnPredictionEngine(engine);
        // Using an engine after returning it breaks the rules; here it shows which engines the pool disposed.
        int disposed = rented.Count(e => Throws<ObjectDisposedException>(() => e.Predict(rows[0])));
        Assert.AreEqual(7, disposed, "engines beyond the three retained are disposed on return");
        var again = Enumerable.Range(0, 3).Select(_ => pool.GetPredictionEngine()).ToArray();
        Assert.IsTrue(again.All(rented.Contains), "retained engines are reused");
        foreach (var engine in again)
            pool.ReturnPredictionEngine(engine);
    }

    [TestMethod]
    public void MisusedReturnsAndDisposalAreReported()
    {
        var (ml, model, rows) = _vae.Value;
        var pool = new PredictionEnginePool<LabelledRow, Output>(ml, model, maximumRetained: 2);
        using (var foreign = ml.Model.CreatePredictionEngine<LabelledRow, Output>(model))
            Assert.ThrowsExactly<ArgumentException>(() => pool.ReturnPredictionEngine(foreign));
        var engine = pool.GetPredictionEngine();
        pool.ReturnPredictionEngine(engine);
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => pool.ReturnPredictionEngine(engine)).Message, "already returned");
        Assert.ThrowsExactly<ArgumentNullException>(() => pool.ReturnPredictionEngine(null!));

        var held = pool.GetPredictionEngine();
        pool.Dispose();
        Assert.ThrowsExactly<ObjectDisposedException>(() => pool.Predict(rows[0]));
        Assert.ThrowsExactly<ObjectDisposedException>(() => pool.GetPredictionEngine());
        Assert.IsNotNull(held.Predict(rows[0]), "an engine rented before disposal works until returned");
        pool.ReturnPredictionEngine(held);
        Assert.ThrowsExactly<ObjectDisposedException>(() => held.Predict(rows[0]));
        pool.Dispose();
    }

    [TestMethod]
    public void BadArgumentsFailAtConstruction()
    {
        var (ml, model, _) = _vae.Value;
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new PredictionEnginePool<LabelledRow, Output>(ml, model, maximumRetained: 0));
        var mismatch = Assert.ThrowsException<ArgumentOutOfRangeException>(() => new PredictionEnginePool<WrongInput, Output>(ml, model));
        StringAssert.Contains(mismatch.Message, "Features");
        Assert.ThrowsExactly<ArgumentNullException>(() => new PredictionEnginePool<LabelledRow, Output>(null!, model));
    }

    private static bool Throws<TException>(Action action) where TException : Exception
    {
        try
        {
            action();
            return false;
        }
        catch (TException)
        {
            return true;
        }
    }
}
