using Vae.MLNet.Data;
using Vae.MLNet.Tests.Data;

namespace Vae.MLNet.Tests.Model;

[TestClass]
public sealed class PredictionEngineTests
{
    private sealed class In
    {
        public float A { get; set; }

        [VectorType(2)]
        public float[] V { get; set; } = [];
    }

    private sealed class Out
    {
        public float[] Features { get; set; } = [];

        public float Sum { get; set; }

        public float A { get; set; }

        public string NotAColumn { get; set; } = "untouched";
    }

    private static (MLContext, IDataView, ITransformer) Model()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 20).Select(i => new In { A = i, V = [i, 2 * i] }).ToList());
        var prep = ml.Transforms.Concatenate("Features", "A", "V").Append(ml.Transforms.NormalizeMinMax("Features")).Fit(data);
        return (ml, data, prep.Append(new SumTransformer(batchSize: 16)));
    }

    [TestMethod]
    public void PredictionsMatchTransform()
    {
        var (ml, data, model) = Model();
        var expected = TestData.Column<float>(model.Transform(data), "Sum");
        using var engine = ml.Model.CreatePredictionEngine<In, Out>(model);
        for (int i = 0; i < 20; i++)
        {
            var p = engine.Predict(new In { A = i, V = [i, 2 * i] });
            Assert.AreEqual(expected[i], p.Sum, 1e-6f);
            Assert.AreEqual(3, p.Features.Length);
            Assert.AreEqual(i, p.A);
            Assert.AreEqual("untouched", p.NotAColumn);
        }
        var sum = ((TransformerChain<SumTransformer>)model).LastTransformer;
        Assert.IsTrue(sum.BatchSizes.Skip(2).All(b => b == 1), "the engine maps batches of one row");
    }

    [TestMethod]
    public void ReusedOutputObjectAllocatesNothingPerCall()
    {
        var (ml, _, model) = Model();
        using var engine = ml.Model.CreatePredictionEngine<In, Out>(model);
        var input = new In { A = 3, V = [1, 2] };
        var output = new Out();
        for (int i = 0; i < 200; i++)
            engine.Predict(input, ref output);
        var features = output.Features;
        ((TransformerChain<SumTransformer>)model).LastTransformer.BatchSizes.Capacity = 10_000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            input.A = i % 20;
            engine.Predict(input, ref output);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.AreSame(features, output.Features, "the output vector array is reused");
        Assert.IsTrue(allocated < 1024, $"1000 predictions allocated {allocated} bytes");
    }

    private sealed class WrongIn
    {
        public float A { get; set; }

        public string V { get; set; } = "";
    }

    private sealed class MissingIn
    {
        public float A { get; set; }
    }

    [TestMethod]
    public void MissingOrMistypedInputColumnsAreReported()
    {
        var (ml, _, model) = Model();
        var missing = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Model.CreatePredictionEngine<MissingIn, Out>(model));
        StringAssert.Contains(missing.Message, "'V'");
        var wrong = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Model.CreatePredictionEngine<WrongIn, Out>(model));
        StringAssert.Contains(wrong.Message, "'V'");
        var strict = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Model.CreatePredictionEngine<In, Out>(model, ignoreMissingColumns: false));
        StringAssert.Contains(strict.Message, "'NotAColumn'");
    }

    [TestMethod]
    public void EngineWorksOnLoadedModel()
    {
        ModelLoadRegistry.Register("TestSum", SumTransformer.Load);
        var (ml, data, model) = Model();
        var loaded = ml.Model.Load(new MemoryStream(ModelRoundTripTests.Save(ml, model, data.Schema)), out _);
        using var a = ml.Model.CreatePredictionEngine<In, Out>(model);
        using var b = ml.Model.CreatePredictionEngine<In, Out>(loaded);
        var x = new In { A = 7, V = [7, 14] };
        Assert.AreEqual(a.Predict(x).Sum, b.Predict(x).Sum);
    }
}
