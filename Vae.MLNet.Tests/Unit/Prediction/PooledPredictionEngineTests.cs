using Microsoft.ML;
using Vae.MLNet.Tests.Support.ModelFiles;

namespace Vae.MLNet.Tests.Unit.Prediction;

/// <summary>The pool over ML.NET's PredictionEngine, on a VAE pipeline with refinement and an anomaly score (its noisiest outputs).</summary>
[TestClass]
public sealed class PooledPredictionEngineTests
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

    private static readonly Lazy<(MLContext Ml, ITransformer Model, SampleRow[] Rows)> _vae = new(() =>
    {
        var ml = new MLContext(seed: 5);
        var rows = ModelSamples.Rows(200, seed: 3);
        var model = ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.Transforms.VaeEncode(new VaeOptions
            {
                LatentDimension = 2, HiddenDimensions = [8], Epochs = 2, Seed = 1, RefinementSteps = 2, AnomalyScoreColumnName = "AnomalyScore",
            }))
            .Fit(ml.Data.LoadFromEnumerable(rows));
        return (ml, model, rows);
    });

    [TestMethod]
    public void EightThreadsPredictingThroughThePoolGetExactlyTheSingleThreadResults()
    {
        var (ml, model, rows) = _vae.Value;
        // Not disposed: disposing an engine would dispose the shared model (see EnginesThePoolDisposesLeaveTheSharedModelUsable).
        var single = ml.Model.CreatePredictionEngine<SampleRow, Output>(model);
        var expected = rows.Select(single.Predict).ToArray();

        // Fewer retained engines than threads, so engines are also created and disposed while others predict.
        using var pool = new PooledPredictionEngine<SampleRow, Output>(ml, model, maximumRetained: 3);
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
        using var pool = new PooledPredictionEngine<SampleRow, Output>(ml, model, maximumRetained: 3);
        var rented = Enumerable.Range(0, 10).Select(_ => pool.GetPredictionEngine()).ToArray();
        Assert.AreEqual(10, rented.Distinct().Count(), "ten engines in use at once are ten engines");
        foreach (var engine in rented)
            pool.ReturnPredictionEngine(engine);
        int disposed = rented.Count(IsDisposed);
        Assert.AreEqual(7, disposed, "engines beyond the three retained are disposed on return");
        var again = Enumerable.Range(0, 3).Select(_ => pool.GetPredictionEngine()).ToArray();
        Assert.IsTrue(again.All(rented.Contains), "retained engines are reused");
        foreach (var engine in again)
            pool.ReturnPredictionEngine(engine);
    }

    [TestMethod]
    public void EnginesThePoolDisposesLeaveTheSharedModelUsable()
    {
        // ML.NET's PredictionEngine.Dispose disposes the transformer it runs: shown on a model of our own.
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(ModelSamples.Rows(16));
        var own = ml.Transforms.VaeEncode(ModelSamples.TinyVae()).Fit(data);
        ml.Model.CreatePredictionEngine<SampleRow, Output>(own).Dispose();
        Assert.ThrowsExactly<ObjectDisposedException>(() => own.Transform(data), "a disposed engine disposed its VAE");

        var (mlShared, model, rows) = _vae.Value;
        using (var pool = new PooledPredictionEngine<SampleRow, Output>(mlShared, model, maximumRetained: 1))
        {
            var rented = Enumerable.Range(0, 3).Select(_ => pool.GetPredictionEngine()).ToArray();
            foreach (var engine in rented)
                pool.ReturnPredictionEngine(engine);
        }
        var after = mlShared.Model.CreatePredictionEngine<SampleRow, Output>(model);
        Assert.AreEqual(2, after.Predict(rows[0]).LatentMean.Length, "the model outlives the pool and the engines it disposed");
    }

    [TestMethod]
    public void MisusedReturnsAndDisposalAreReported()
    {
        var (ml, model, rows) = _vae.Value;
        var pool = new PooledPredictionEngine<SampleRow, Output>(ml, model, maximumRetained: 2);
        var foreign = ml.Model.CreatePredictionEngine<SampleRow, Output>(model);
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
        Assert.IsFalse(IsDisposed(held));
        pool.ReturnPredictionEngine(held);
        Assert.IsTrue(IsDisposed(held), "an engine returned after the pool's disposal is disposed");
        pool.Dispose();
    }

    [TestMethod]
    public void BadArgumentsFailAtConstruction()
    {
        var (ml, model, _) = _vae.Value;
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new PooledPredictionEngine<SampleRow, Output>(ml, model, maximumRetained: 0));
        var mismatch = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new PooledPredictionEngine<WrongInput, Output>(ml, model));
        StringAssert.Contains(mismatch.Message, "Features");
        Assert.ThrowsExactly<ArgumentNullException>(() => new PooledPredictionEngine<SampleRow, Output>(null!, model));
    }

    [TestMethod]
    public void TheNameOfVersion020StillBuildsAndPredictsThroughThePool()
    {
        var (ml, model, rows) = _vae.Value;
        var single = ml.Model.CreatePredictionEngine<SampleRow, Output>(model);
#pragma warning disable CS0618 // The obsolete name is what this test is about.
        Assert.IsNotNull(typeof(PredictionEnginePool<,>).GetCustomAttributes(typeof(ObsoleteAttribute), false).SingleOrDefault(), "the old name is marked obsolete");
        using var pool = new PredictionEnginePool<SampleRow, Output>(ml, model, maximumRetained: 2);
#pragma warning restore CS0618
        Assert.AreSame(model, pool.Model);
        Assert.AreEqual(2, pool.MaximumRetained);
        CollectionAssert.AreEqual(single.Predict(rows[0]).LatentMean, pool.Predict(rows[0]).LatentMean);
        var engine = pool.GetPredictionEngine();
        pool.ReturnPredictionEngine(engine);
        Assert.ThrowsExactly<InvalidOperationException>(() => pool.ReturnPredictionEngine(engine), "the pool's own checks stand behind the old name");
        pool.Dispose();
        Assert.ThrowsExactly<ObjectDisposedException>(() => pool.Predict(rows[0]));
    }

    /// <summary>ML.NET's PredictionEngine keeps predicting after Dispose; its private flag is the only witness.</summary>
    private static bool IsDisposed<TSrc, TDst>(PredictionEngine<TSrc, TDst> engine) where TSrc : class where TDst : class, new()
    {
        for (var type = engine.GetType(); type != null; type = type.BaseType)
            if (type.GetField("_disposed", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance) is { } field)
                return (bool)field.GetValue(engine)!;
        throw new InvalidOperationException("ML.NET's PredictionEngine has no _disposed field any more: update this test");
    }
}
