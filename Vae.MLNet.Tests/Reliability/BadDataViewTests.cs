using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>
/// Bad input through real ML.NET views beyond VaeBadInputTests: variable-size vectors, key and text columns, condition
/// columns out of range, empty and single-row views, options out of range. Each is refused before a training epoch
/// runs, by an exception naming the column (and the row, for values), or handled as ML.NET's own transforms do.
/// </summary>
[TestClass]
public sealed class BadDataViewTests
{
    private static readonly MLContext Ml = new(seed: 1);

    private sealed class Row
    {
        [VectorType(3)] public float[] Features { get; set; } = [];
        public float[] Ragged { get; set; } = [];
        public string Text { get; set; } = "";
        public float Condition { get; set; }
        [VectorType(2)] public float[] ConditionVector { get; set; } = [0, 0];
    }

    private static Row[] Rows(int count) => Enumerable.Range(0, count).Select(i => new Row
    {
        Features = [i * 0.1f, 1 - i * 0.1f, 0.5f], Ragged = new float[1 + i % 3], Text = $"t{i % 3}", Condition = i % 3, ConditionVector = [i % 2, 1 - i % 2],
    }).ToArray();

    private static VaeOptions Options(Action<VaeOptions>? change = null)
    {
        var o = new VaeOptions { LatentDimension = 2, HiddenDimensions = [4], Epochs = 1, BatchSize = 4, Seed = 1 };
        change?.Invoke(o);
        return o;
    }

    /// <summary>Fit must throw <typeparamref name="T"/> naming every fragment, and no epoch may have run (no progress reported).</summary>
    private static T ExpectRefusedBeforeTraining<T>(IDataView data, VaeOptions options, params string[] fragments) where T : Exception
    {
        int epochs = 0;
        options.Progress = new Progress<VaeEpochMetrics>(_ => Interlocked.Increment(ref epochs));
        var e = Assert.ThrowsExactly<T>(() => Ml.Transforms.VaeEncode(options).Fit(data));
        foreach (string fragment in fragments)
            StringAssert.Contains(e.Message, fragment);
        Assert.AreEqual(0, epochs, "an epoch ran before the input was refused");
        return e;
    }

    [TestMethod]
    public void VariableSizeKeyAndTextInputColumnsAreRefusedByName()
    {
        var data = Ml.Data.LoadFromEnumerable(Rows(8));
        ExpectRefusedBeforeTraining<ArgumentOutOfRangeException>(data, Options(o => o.InputColumnName = "Ragged"), "'Ragged'", "known size");
        ExpectRefusedBeforeTraining<ArgumentOutOfRangeException>(data, Options(o => o.InputColumnName = "Text"), "'Text'");
        var keyed = Ml.Transforms.Conversion.MapValueToKey("Key", "Text").Fit(data).Transform(data);
        ExpectRefusedBeforeTraining<ArgumentOutOfRangeException>(keyed, Options(o => o.InputColumnName = "Key"), "'Key'", "Key");

        // At Transform, a model fitted on size 3 meets a variable-size column of the same name: refused before any row is read.
        using var model = Ml.Transforms.VaeEncode(Options()).Fit(data);
        var renamed = Ml.Transforms.CopyColumns("Features", "Ragged").Fit(data).Transform(data);
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.Transform(renamed));
        StringAssert.Contains(e.Message, "'Features'");
        StringAssert.Contains(e.Message, "size 3");
    }

    [TestMethod]
    public void ConditionColumnsOfTheWrongKindOrOutOfRangeAreRefusedNamingColumnAndRow()
    {
        var data = Ml.Data.LoadFromEnumerable(Rows(8));
        ExpectRefusedBeforeTraining<ArgumentOutOfRangeException>(data, Options(o => o.ConditionColumnName = "Missing"), "'Missing'");
        ExpectRefusedBeforeTraining<ArgumentOutOfRangeException>(data, Options(o => o.ConditionColumnName = "Text"), "'Text'", "key");
        ExpectRefusedBeforeTraining<ArgumentOutOfRangeException>(data, Options(o => o.ConditionColumnName = "Ragged"), "'Ragged'");

        // A key column whose row 5 holds key 0 (ML.NET's missing value): refused naming the row of this view, although
        // Fit reads it through a pool shuffle (the view cannot shuffle). ML.NET's in-memory views store a [KeyType]
        // property zero-based: value v is key v + 1, and a value of Count or more is key 0.
        var keyed = Ml.Transforms.Conversion.MapValueToKey("Class", "Text").Fit(data).Transform(data);
        var missingKey = Ml.Data.LoadFromEnumerable(Rows(8).Select((r, i) => new KeyRow { Features = r.Features, Class = i == 5 ? 3u : (uint)(i % 3) }).ToArray());
        Assert.IsFalse(missingKey.CanShuffle, "the view is read through ML.NET's pool shuffle");
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => Ml.Transforms.VaeEncode(Options(o => o.ConditionColumnName = "Class")).Fit(missingKey));
        StringAssert.Contains(e.Message, "'Class'");
        StringAssert.Contains(e.Message, "key 0 in row 5");

        // A condition vector holding NaN in row 2.
        var rows = Rows(8);
        rows[2].ConditionVector = [float.NaN, 1];
        var nan = Assert.ThrowsExactly<InvalidOperationException>(() => Ml.Transforms.VaeEncode(Options(o => o.ConditionColumnName = "ConditionVector")).Fit(Ml.Data.LoadFromEnumerable(rows)));
        StringAssert.Contains(nan.Message, "'ConditionVector'");
        StringAssert.Contains(nan.Message, "row 2");

        // Fitted on a key with 3 classes, transformed with a key of 5: a schema mismatch naming both.
        using var model = Ml.Transforms.VaeEncode(Options(o => o.ConditionColumnName = "Class")).Fit(keyed);
        var wider = Ml.Data.LoadFromEnumerable(Rows(8).Select((r, i) => new WideKeyRow { Features = r.Features, Class = (uint)(i % 5) }).ToArray());
        var mismatch = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.Transform(wider));
        StringAssert.Contains(mismatch.Message, "'Class'");
        StringAssert.Contains(mismatch.Message, "3 values");
    }

    private sealed class KeyRow
    {
        [VectorType(3)] public float[] Features { get; set; } = [];
        [KeyType(3)] public uint Class { get; set; }
    }

    private sealed class WideKeyRow
    {
        [VectorType(3)] public float[] Features { get; set; } = [];
        [KeyType(5)] public uint Class { get; set; }
    }

    [TestMethod]
    public void EmptyAndSingleRowViewsTransformAsMLNetTransformsDo()
    {
        var data = Ml.Data.LoadFromEnumerable(Rows(8));
        using var model = Ml.Transforms.VaeEncode(Options(o => o.AnomalyScoreColumnName = "Score")).Fit(data);
        // Empty: no rows, no error (a filter that keeps nothing, as a real pipeline would make).
        var empty = Ml.Data.FilterRowsByColumn(data, "Condition", lowerBound: 100, upperBound: 200);
        Assert.IsEmpty(model.Transform(empty).Preview().RowView);
        // One row: one row out, every column read.
        var one = model.Transform(Ml.Data.TakeRows(data, 1)).Preview();
        Assert.HasCount(1, one.RowView);
        Assert.IsTrue(one.RowView[0].Values.Any(v => v.Key == "Score" && v.Value is float f && float.IsFinite(f)), "the single row is scored");
    }

    [TestMethod]
    public void OptionsOutOfRangeAreRefusedAtConstructionNamingTheOption()
    {
        var cases = new (Action<VaeOptions> Change, string Name)[]
        {
            (o => o.HiddenDimensions = [4, 0], "HiddenDimensions"), (o => o.Beta = -1, "Beta"), (o => o.FreeBits = double.PositiveInfinity, "FreeBits"),
            (o => o.KlWarmupEpochs = -1, "KlWarmupEpochs"), (o => o.ValidationFraction = -0.1, "ValidationFraction"), (o => o.EarlyStoppingPatience = 0, "EarlyStoppingPatience"),
            (o => o.SamplesPerPoint = 0, "SamplesPerPoint"), (o => o.CheckpointFrequency = 0, "CheckpointFrequency"), (o => o.TrainingThreads = 1000, "TrainingThreads"),
            (o => o.GradientClipNorm = double.NaN, "GradientClipNorm"), (o => o.CheckpointPath = " ", "CheckpointPath"), (o => o.RefinementSteps = -1, "RefinementSteps"),
            (o => o.MeanColumnName = "", "MeanColumnName"), (o => o.ReconstructionColumnName = "LatentMean", "MeanColumnName"),
        };
        foreach (var (change, name) in cases)
        {
            var e = Assert.Throws<ArgumentException>(() => Ml.Transforms.VaeEncode(Options(change)), name);
            StringAssert.Contains(e.ParamName + " " + e.Message, name);
        }
    }
}
