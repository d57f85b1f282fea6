using Vae.MLNet.Data;

namespace Vae.MLNet.Tests.Data;

[TestClass]
public sealed class RowOperationsTests
{
    private sealed class Row
    {
        public float Id { get; set; }

        public string Group { get; set; } = "";

        public float Value { get; set; }

        [VectorType(2)]
        public float[] V { get; set; } = [];
    }

    private static IDataView Data(MLContext ml, int n) => ml.Data.LoadFromEnumerable(Enumerable.Range(0, n)
        .Select(i => new Row { Id = i, Group = $"g{i % 7}", Value = i % 5 == 0 ? float.NaN : i, V = [i, i % 3 == 0 ? float.NaN : 0] }).ToList());

    [TestMethod]
    public void SplitIsDeterministicDisjointAndComplete()
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml, 1000);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 42);
        var train = TestData.Column<float>(split.TrainSet, "Id");
        var test = TestData.Column<float>(split.TestSet, "Id");
        Assert.AreEqual(1000, train.Count + test.Count);
        Assert.AreEqual(0, train.Intersect(test).Count());
        Assert.IsTrue(test.Count is > 150 and < 250, $"test set has {test.Count} rows");

        var again = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 42);
        CollectionAssert.AreEqual(test, TestData.Column<float>(again.TestSet, "Id"));
        CollectionAssert.AreEqual(test, TestData.Column<float>(split.TestSet, "Id"), "a second enumeration gives the same rows");
        var other = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 43);
        CollectionAssert.AreNotEqual(test, TestData.Column<float>(other.TestSet, "Id"));
    }

    [TestMethod]
    public void SplitKeepsRowsWithTheSameKeyTogether()
    {
        var ml = new MLContext();
        var data = Data(ml, 700);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.3, samplingKeyColumnName: "Group", seed: 5);
        var trainGroups = TestData.Column<ReadOnlyMemory<char>>(split.TrainSet, "Group").Select(g => g.ToString()).ToHashSet();
        var testGroups = TestData.Column<ReadOnlyMemory<char>>(split.TestSet, "Group").Select(g => g.ToString()).ToHashSet();
        Assert.AreEqual(0, trainGroups.Intersect(testGroups).Count());
        Assert.AreEqual(7, trainGroups.Count + testGroups.Count);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Data.TrainTestSplit(data, samplingKeyColumnName: "Nope"));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Data.TrainTestSplit(data, testFraction: 1.5));
    }

    [TestMethod]
    public void ShuffleIsAPermutationRepeatableBySeed()
    {
        var ml = new MLContext();
        var data = Data(ml, 200);
        var ids = Enumerable.Range(0, 200).Select(i => (float)i).ToList();
        foreach (var (pool, source) in new[] { (10, false), (1000, false), (0, true), (50, true) })
        {
            var shuffled = ml.Data.ShuffleRows(data, seed: 3, shufflePoolSize: pool, shuffleSource: source);
            var order = TestData.Column<float>(shuffled, "Id");
            CollectionAssert.AreEquivalent(ids, order, $"pool {pool}, source {source}");
            CollectionAssert.AreNotEqual(ids, order, $"pool {pool}, source {source}");
            CollectionAssert.AreEqual(order, TestData.Column<float>(shuffled, "Id"));
        }
        var vectors = TestData.Vectors(ml.Data.ShuffleRows(data, seed: 3, shufflePoolSize: 10, shuffleSource: false), "V");
        Assert.IsTrue(vectors.All(v => v.Length == 2), "buffered vectors are served intact");
        Assert.AreEqual(200, vectors.Select(v => v[0]).Distinct().Count());
    }

    [TestMethod]
    public void TakeAndSkipRows()
    {
        var ml = new MLContext();
        var data = Data(ml, 10);
        CollectionAssert.AreEqual(new[] { 0f, 1f, 2f }, TestData.Column<float>(ml.Data.TakeRows(data, 3), "Id"));
        CollectionAssert.AreEqual(new[] { 8f, 9f }, TestData.Column<float>(ml.Data.SkipRows(data, 8), "Id"));
        CollectionAssert.AreEqual(new[] { 2f, 3f }, TestData.Column<float>(ml.Data.TakeRows(ml.Data.SkipRows(data, 2), 2), "Id"));
        Assert.AreEqual(3L, ml.Data.TakeRows(data, 3).GetRowCount());
        Assert.AreEqual(0, TestData.Column<float>(ml.Data.SkipRows(data, 20), "Id").Count);
    }

    [TestMethod]
    public void FilterByRangeAndByMissingValues()
    {
        var ml = new MLContext();
        var data = Data(ml, 12);
        CollectionAssert.AreEqual(new[] { 3f, 4f, 6f }, TestData.Column<float>(ml.Data.FilterRowsByColumn(data, "Value", 3, 7), "Id"));
        CollectionAssert.AreEqual(new[] { 1f, 2f, 4f, 7f, 8f, 11f }, TestData.Column<float>(ml.Data.FilterRowsByMissingValues(data, "Value", "V"), "Id"));
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Data.FilterRowsByColumn(data, "Group"));
        StringAssert.Contains(e.Message, "'Group'");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Data.FilterRowsByColumn(data, "Value", 5, 5));
    }

    [TestMethod]
    public void CacheReadsEachColumnOnceAndShuffles()
    {
        var ml = new MLContext();
        var reads = new int[2];
        var source = new CountingEnumerable<CountingRow>(Enumerable.Range(0, 20).Select(i => new CountingRow(reads, i, -i)).ToList());
        var cached = ml.Data.Cache(ml.Data.LoadFromEnumerable(source));
        Assert.AreEqual(0, source.Pulled);

        var first = TestData.Column<float>(cached, "A");
        var second = TestData.Column<float>(cached, "A");
        CollectionAssert.AreEqual(first, second);
        Assert.AreEqual(20, reads[0]);
        Assert.AreEqual(0, reads[1], "B was never requested");
        Assert.AreEqual(20L, cached.GetRowCount());
        Assert.IsTrue(cached.CanShuffle);

        CollectionAssert.AreEqual(Enumerable.Range(0, 20).Select(i => -(float)i).ToList(), TestData.Column<float>(cached, "B"));
        Assert.AreEqual(20, reads[1]);
        Assert.AreEqual(20, reads[0], "caching B did not re-read A");

        using var cursor = cached.GetRowCursor(cached.Schema, new Random(7));
        var a = cursor.GetGetter<float>(cached.Schema["A"]);
        var b = cursor.GetGetter<float>(cached.Schema["B"]);
        var order = new List<float>();
        while (cursor.MoveNext())
        {
            float x = 0, y = 0;
            a(ref x);
            b(ref y);
            Assert.AreEqual(-x, y, "columns of a shuffled row stay aligned");
            order.Add(x);
        }
        CollectionAssert.AreNotEqual(first, order);
        CollectionAssert.AreEquivalent(first, order);
    }

    [TestMethod]
    public void AppendCacheCheckpointCachesForFittingOnly()
    {
        var ml = new MLContext();
        var reads = new int[2];
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10).Select(i => new CountingRow(reads, i, i)).ToList());
        var pipeline = ml.Transforms.CopyColumns("A2", "A").AppendCacheCheckpoint(ml)
            .Append(ml.Transforms.NormalizeMinMax("N", "A2"))
            .Append(ml.Transforms.NormalizeMeanVariance("M", "A2"));
        var model = pipeline.Fit(data);
        Assert.AreEqual(10, reads[0], "both normalizers were fitted from the cache: one pass over the source");
        Assert.AreEqual(3, model.Count());
        Assert.AreEqual(10, TestData.Column<float>(model.Transform(data), "N").Count);
    }
}
