using Vae.MLNet.Data;

namespace Vae.MLNet.Tests.Data;

[TestClass]
public sealed class ContextAndPipelineTests
{
    private sealed class Row
    {
        public float X { get; set; }

        [VectorType(2)]
        public float[] V { get; set; } = [];

        public string S { get; set; } = "";
    }

    private static Row[] Rows(int n) => Enumerable.Range(0, n).Select(i => new Row { X = i, V = [i, -i], S = $"s{i}" }).ToArray();

    [TestMethod]
    public void ChannelsWriteToTheLogEvent()
    {
        var ml = new MLContext();
        var messages = new List<LoggingEventArgs>();
        ml.Log += (_, e) => messages.Add(e);
        var channel = ml.Transforms.Context.CreateChannel("MyComponent");
        channel.Info("epoch 1");
        channel.Warning("slow");
        Assert.AreEqual(2, messages.Count);
        Assert.AreEqual("MyComponent", messages[0].Source);
        Assert.AreEqual(ChannelMessageKind.Warning, messages[1].Kind);
        Assert.AreEqual("epoch 1", messages[0].RawMessage);
        Assert.AreEqual("[Source=MyComponent, Kind=Info] epoch 1", messages[0].Message);
    }

    [TestMethod]
    public void SeededContextsGiveRepeatableRandomness()
    {
        int First(int seed) => new MLContext(seed).Regression.Trainers.Context.CreateRandom().Next();
        Assert.AreEqual(First(5), First(5));
        Assert.AreNotEqual(First(5), First(6));
        var ml = new MLContext(seed: 9);
        Assert.AreSame(ml, ml.MulticlassClassification.Trainers.Context);
        Assert.AreSame(ml, ml.BinaryClassification.Context);
        Assert.AreSame(ml, ml.Transforms.Conversion.Context);
        Assert.AreEqual(9, ml.Seed);
    }

    [TestMethod]
    public void FitStreamsTheDataOnceForAllColumns()
    {
        var ml = new MLContext();
        var source = new CountingEnumerable<Row>(Rows(50));
        var data = ml.Data.LoadFromEnumerable(source);
        ml.Transforms.NormalizeMinMax([new InputOutputColumnPair("A", "X"), new InputOutputColumnPair("B", "V")]).Fit(data);
        Assert.AreEqual(50, source.Pulled);
    }

    [TestMethod]
    public void PipelineRejectsBadInputBeforeReadingAnyRow()
    {
        var ml = new MLContext();
        var source = new CountingEnumerable<Row>(Rows(10));
        var data = ml.Data.LoadFromEnumerable(source);
        var pipeline = ml.Transforms.CopyColumns("Y", "X")
            .Append(ml.Transforms.NormalizeMeanVariance("Z", "Y"))
            .Append(ml.Transforms.NormalizeMinMax("W", "S"));
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => pipeline.Fit(data));
        StringAssert.Contains(e.Message, "'S'");
        Assert.AreEqual(0, source.Pulled);

        var shape = pipeline.GetOutputSchema(SchemaShape.Create(ml.Data.LoadFromEnumerable(new[] { new { X = 1f, S = 2f } }).Schema));
        Assert.IsTrue(shape.TryFindColumn("W", out _));
    }

    [TestMethod]
    public void PreviewShowsRowsAndColumns()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(Rows(5));
        var preview = data.Preview(maxRows: 3);
        Assert.AreEqual(3, preview.RowView.Length);
        Assert.AreEqual(3, preview.ColumnView.Length);
        Assert.AreEqual(2f, preview.ColumnView[0].Values[2]);
        Assert.AreEqual("S", preview.RowView[1].Values[2].Key);
        Assert.AreEqual("s1", preview.RowView[1].Values[2].Value.ToString());
        var vectors = preview.ColumnView[1].Values.Cast<VBuffer<float>>().ToArray();
        Assert.AreEqual(-2f, vectors[2].GetItemOrDefault(1), "each previewed vector is its own copy");

        var estimatorPreview = ml.Transforms.Concatenate("F", "X", "V").Preview(data, maxRows: 2);
        Assert.AreEqual(2, estimatorPreview.RowView.Length);
        Assert.IsNotNull(estimatorPreview.Schema.GetColumnOrNull("F"));
    }

    [TestMethod]
    public void GetColumnReadsCopiesLazily()
    {
        var ml = new MLContext();
        var source = new CountingEnumerable<Row>(Rows(4));
        var data = ml.Data.LoadFromEnumerable(source);
        var values = data.GetColumn<VBuffer<float>>("V");
        Assert.AreEqual(0, source.Pulled);
        var list = values.ToList();
        CollectionAssert.AreEqual(new[] { 3f, -3f }, list[3].DenseValues().ToArray());
        CollectionAssert.AreEqual(new[] { 1f, -1f }, list[1].DenseValues().ToArray());
        Assert.ThrowsExactly<InvalidOperationException>(() => data.GetColumn<double>("X"));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => data.GetColumn<float>("Nope"));
    }
}
