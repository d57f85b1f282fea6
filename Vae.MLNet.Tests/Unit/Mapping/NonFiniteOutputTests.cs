using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Unit.Mapping;

/// <summary>
/// Finite but huge inputs (1e20 where training saw values near 1) must not put NaN or ±∞ into any output column:
/// the row is refused when its outputs are read, naming the input column, the row, the output column and the slot of
/// largest magnitude; ordinary rows of the same view read as before, in batches (Transform) and one at a time
/// (PredictionEngine, whose single rows take the managed encoder kernel).
/// </summary>
[TestClass]
public sealed class NonFiniteOutputTests
{
    private const int HugeRow = 3, HugeSlot = 7;
    private static readonly string[] Added = ["LatentMean", "LatentLogVariance", "Reconstruction", "AnomalyScore"];
    private static readonly MLContext Ml = new(seed: 1);
    private static readonly LabelledRow[] Training = SyntheticData.LinearGaussian(128);
    private static readonly Lazy<VaeTransformer> Elbo = new(() => Fit(0));
    private static readonly Lazy<VaeTransformer> Iwae = new(() => Fit(50));

    private static VaeTransformer Fit(int importanceSamples) => Ml.Transforms.VaeEncode(new VaeOptions
    {
        LatentDimension = 2, HiddenDimensions = [16], Epochs = 2, BatchSize = 32, Seed = 2,
        AnomalyScoreColumnName = "AnomalyScore", AnomalyScoreImportanceSamples = importanceSamples,
    }).Fit(Ml.Data.LoadFromEnumerable(Training));

    [ClassCleanup]
    public static void Cleanup()
    {
        foreach (var model in new[] { Elbo, Iwae })
            if (model.IsValueCreated) model.Value.Dispose();
    }

    /// <summary>Six ordinary rows of the training scale and, at <see cref="HugeRow"/>, one with <paramref name="huge"/> in slot <see cref="HugeSlot"/>.</summary>
    private static LabelledRow[] Rows(float huge, bool everySlot = false)
    {
        var rows = Training.Take(6).Select(r => new LabelledRow { Features = (float[])r.Features.Clone(), Label = r.Label }).ToArray();
        var features = rows[HugeRow].Features;
        // With every slot huge, the largest in magnitude is still HugeSlot.
        for (int i = 0; i < features.Length; i++)
            if (everySlot || i == HugeSlot) features[i] = i == HugeSlot ? huge : huge / 2;
        return rows;
    }

    private static void AssertNamesTheRow(InvalidOperationException e, string column, float huge)
    {
        foreach (var part in new[] { "'Features'", $"row {HugeRow}", $"slot {HugeSlot}", huge.ToString(System.Globalization.CultureInfo.InvariantCulture), $"'{column}'", "ormalize" })
            StringAssert.Contains(e.Message, part, $"the message must name {part}");
    }

    private static Func<float[]> Reader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Type is VectorDataViewType)
        {
            var vector = cursor.GetGetter<VBuffer<float>>(column);
            return () =>
            {
                VBuffer<float> value = default;
                vector(ref value);
                return value.DenseValues().ToArray();
            };
        }
        var scalar = cursor.GetGetter<float>(column);
        return () =>
        {
            float value = 0;
            scalar(ref value);
            return [value];
        };
    }

    /// <summary>Reads <paramref name="columns"/> of every row: all finite except the huge row's, each refused.</summary>
    private static void ReadRefusingTheHugeRow(IDataView transformed, string[] columns, float huge)
    {
        var active = columns.Select(c => transformed.Schema[c]).ToArray();
        using var cursor = transformed.GetRowCursor(active);
        var readers = active.Select(c => (c.Name, Read: Reader(cursor, c))).ToArray();
        int rows = 0;
        while (cursor.MoveNext())
        {
            foreach (var (name, read) in readers)
            {
                if (cursor.Position != HugeRow)
                {
                    var values = read();
                    Assert.IsTrue(values.All(float.IsFinite), $"{name} of row {cursor.Position}: [{string.Join(", ", values)}]");
                    continue;
                }
                var e = Assert.ThrowsExactly<InvalidOperationException>(() => read(), name);
                AssertNamesTheRow(e, name, huge);
            }
            rows++;
        }
        Assert.AreEqual(6, rows);
    }

    [TestMethod]
    public void EveryAddedColumnOfTheHugeRowIsRefusedWithTheElboScore() =>
        ReadRefusingTheHugeRow(Elbo.Value.Transform(Ml.Data.LoadFromEnumerable(Rows(1e20f))), Added, 1e20f);

    [TestMethod]
    public void EveryAddedColumnOfTheHugeRowIsRefusedWithTheIwaeScore() =>
        ReadRefusingTheHugeRow(Iwae.Value.Transform(Ml.Data.LoadFromEnumerable(Rows(1e20f))), Added, 1e20f);

    [TestMethod]
    public void TheScoreReadAloneIsRefused()
    {
        foreach (var model in new[] { Elbo.Value, Iwae.Value })
            ReadRefusingTheHugeRow(model.Transform(Ml.Data.LoadFromEnumerable(Rows(1e20f))), ["AnomalyScore"], 1e20f);
    }

    [TestMethod]
    public void LatentsThatOverflowAreRefusedWhenReadAlone()
    {
        var transformed = Elbo.Value.Transform(Ml.Data.LoadFromEnumerable(Rows(3e38f, everySlot: true)));
        ReadRefusingTheHugeRow(transformed, ["LatentMean"], 3e38f);
        ReadRefusingTheHugeRow(transformed, ["Reconstruction"], 3e38f);
    }

    private sealed class Prediction
    {
        public float[] LatentMean { get; set; } = [];
        public float[] Reconstruction { get; set; } = [];
        public float AnomalyScore { get; set; }
    }

    [TestMethod]
    public void PredictionEngineRefusesTheHugeRowAndServesTheOthers()
    {
        var rows = Rows(1e20f);
        foreach (var model in new[] { Elbo.Value, Iwae.Value })
        {
            // Not disposed: disposing a PredictionEngine disposes the model, which the other tests share.
            var engine = Ml.Model.CreatePredictionEngine<LabelledRow, Prediction>(model);
            Assert.IsTrue(float.IsFinite(engine.Predict(rows[0]).AnomalyScore));
            var e = Assert.ThrowsExactly<InvalidOperationException>(() => engine.Predict(rows[HugeRow]));
            StringAssert.Contains(e.Message, $"slot {HugeSlot}");
            StringAssert.Contains(e.Message, "'Features'");
            var after = engine.Predict(rows[4]);
            Assert.IsTrue(after.LatentMean.Concat(after.Reconstruction).Append(after.AnomalyScore).All(float.IsFinite));
        }
    }

    [TestMethod]
    public void TheAutoencoderRefusesARowThatOverflowsIt()
    {
        using var autoencoder = Ml.Transforms.AutoencoderEncode(new AutoencoderOptions { LatentDimension = 2, HiddenDimensions = [16], Epochs = 2, Seed = 2 })
            .Fit(Ml.Data.LoadFromEnumerable(Training));
        var transformed = autoencoder.Transform(Ml.Data.LoadFromEnumerable(Rows(3e38f, everySlot: true)));
        ReadRefusingTheHugeRow(transformed, ["Latent", "Reconstruction"], 3e38f);
        var huge = Rows(3e38f, everySlot: true)[HugeRow].Features;
        var e = Assert.ThrowsExactly<ArgumentException>(() => autoencoder.Encode(huge));
        Assert.AreEqual("x", e.ParamName);
        StringAssert.Contains(e.Message, $"index {HugeSlot}");
        Assert.IsTrue(autoencoder.Reconstruct(Training[0].Features).All(float.IsFinite));
    }

    [TestMethod]
    public void TheSingleVectorMethodsRefuseAnInputThatOverflowsNamingTheSlot()
    {
        var model = Elbo.Value;
        var huge = Rows(3e38f, everySlot: true)[HugeRow].Features;
        foreach (var (name, call) in new (string, Action)[]
                 {
                     ("Encode", () => model.Encode(huge)), ("LatentCode", () => model.LatentCode(huge)), ("Reconstruct", () => model.Reconstruct(huge)),
                     ("Interpolate", () => model.Interpolate(Training[0].Features, huge, 3)), ("Traverse", () => model.Traverse(huge, 0, [0.0])),
                 })
        {
            var e = Assert.ThrowsExactly<ArgumentException>(call, name);
            Assert.AreEqual("x", e.ParamName, name);
            StringAssert.Contains(e.Message, $"index {HugeSlot}", name);
        }
        var z = Assert.ThrowsExactly<ArgumentException>(() => model.Decode([3e38f, 1e38f]));
        Assert.AreEqual("z", z.ParamName);
        StringAssert.Contains(z.Message, "index 0");
        Assert.IsTrue(model.Reconstruct(Training[0].Features).All(float.IsFinite));
    }

    [TestMethod]
    public void EvaluateRefusesARowWhoseBoundIsNotFiniteNamingRowAndSlot()
    {
        var data = Ml.Data.LoadFromEnumerable(Rows(1e20f));
        foreach (int k in new[] { 0, 10 })
        {
            var e = Assert.ThrowsExactly<InvalidOperationException>(() => Elbo.Value.Evaluate(data, importanceSamples: k));
            foreach (var part in new[] { "'Features'", $"row {HugeRow}", $"slot {HugeSlot}", "1E+20", "ormalize" })
                StringAssert.Contains(e.Message, part);
        }
        Assert.IsTrue(double.IsFinite(Elbo.Value.Evaluate(Ml.Data.LoadFromEnumerable(Training.Take(6)), importanceSamples: 10).ImportanceWeightedBound!.Value));
    }
}
