using Vae.MLNet.Data;

namespace Vae.MLNet.Tests.Data;

[TestClass]
public sealed class EnumerableTests
{
    private sealed class Example
    {
        public float Number;
        public string Text = "";
        public bool Flag { get; set; }

        [VectorType(3)]
        public float[] Features = [];

        [KeyType(5)]
        public uint Category;

        [ColumnName("Renamed")]
        public long Big;

        [NoColumn]
        public int Ignored { get; set; }

        public string[] Tokens = [];
    }

    private sealed class Output
    {
        public float Number { get; set; }
        public string Text { get; set; } = "";
        public float[] Features { get; set; } = [];
        public uint Category { get; set; }
    }

    private static Example[] Examples() =>
    [
        new() { Number = 1.5f, Text = "a", Flag = true, Features = [1, 2, 3], Category = 2, Big = 10, Tokens = ["x", "y"] },
        new() { Number = -2f, Text = "bb", Flag = false, Features = [4, 5, 6], Category = 0, Big = -3, Tokens = [] },
    ];

    [TestMethod]
    public void SchemaFollowsMembersAndAttributes()
    {
        var schema = new MLContext().Data.LoadFromEnumerable(Examples()).Schema;
        CollectionAssert.AreEqual(new[] { "Number", "Text", "Features", "Category", "Renamed", "Tokens", "Flag" }, schema.Select(c => c.Name).ToArray());
        Assert.AreEqual(NumberDataViewType.Single, schema["Number"].Type);
        Assert.AreEqual(TextDataViewType.Instance, schema["Text"].Type);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3), schema["Features"].Type);
        Assert.AreEqual(new KeyDataViewType(typeof(uint), 5), schema["Category"].Type);
        Assert.AreEqual(NumberDataViewType.Int64, schema["Renamed"].Type);
        Assert.AreEqual(new VectorDataViewType(TextDataViewType.Instance), schema["Tokens"].Type);
        Assert.AreEqual(BooleanDataViewType.Instance, schema["Flag"].Type);
    }

    [TestMethod]
    public void NothingIsReadBeforeCursoringAndOnlyActiveColumnsAreComputed()
    {
        var reads = new int[2];
        var source = new CountingEnumerable<CountingRow>([new(reads, 1, 10), new(reads, 2, 20), new(reads, 3, 30)]);
        var data = new MLContext().Data.LoadFromEnumerable(source);
        var copied = new MLContext().Transforms.CopyColumns("A2", "A").Fit(data).Transform(data);
        Assert.AreEqual(0, source.Pulled);

        CollectionAssert.AreEqual(new[] { 1f, 2f, 3f }, TestData.Column<float>(copied, "A2"));
        Assert.AreEqual(3, source.Pulled);
        Assert.AreEqual(3, reads[0]);
        Assert.AreEqual(0, reads[1], "column B was never active, so it must not be read");
    }

    [TestMethod]
    public void CreateEnumerableRoundTripsValues()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(Examples());
        var rows = ml.Data.CreateEnumerable<Example>(data, reuseRowObject: false).ToList();
        Assert.AreEqual(2, rows.Count);
        Assert.AreEqual(1.5f, rows[0].Number);
        Assert.AreEqual("bb", rows[1].Text);
        Assert.IsTrue(rows[0].Flag);
        CollectionAssert.AreEqual(new[] { 4f, 5f, 6f }, rows[1].Features);
        Assert.AreEqual(2u, rows[0].Category);
        Assert.AreEqual(-3L, rows[1].Big);
        CollectionAssert.AreEqual(new[] { "x", "y" }, rows[0].Tokens);
        Assert.AreNotSame(rows[0].Features, rows[1].Features);
    }

    [TestMethod]
    public void ReusedRowObjectIsTheSameInstance()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(Examples());
        var seen = new List<Output>();
        foreach (var row in ml.Data.CreateEnumerable<Output>(data, reuseRowObject: true))
            seen.Add(row);
        Assert.AreSame(seen[0], seen[1]);
        Assert.AreEqual(-2f, seen[0].Number);
    }

    [TestMethod]
    public void MissingColumnFailsUnlessIgnored()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(new[] { new CountingRow(new int[2], 1, 2) });
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Data.CreateEnumerable<Output>(data, false));
        StringAssert.Contains(e.Message, "'Number'");
        var rows = ml.Data.CreateEnumerable<Output>(data, false, ignoreMissingColumns: true).ToList();
        Assert.AreEqual(1, rows.Count);
    }

    [TestMethod]
    public void WrongMemberTypeNamesColumnAndTypes()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(Examples());
        var definition = SchemaDefinition.Create(typeof(Output), SchemaDefinition.Direction.Write);
        definition["Number"].ColumnName = "Text";
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Data.CreateEnumerable<Output>(data, false, true, definition));
        StringAssert.Contains(e.Message, "'Text'");
        StringAssert.Contains(e.Message, "System.Single");
    }

    [TestMethod]
    public void VectorOfWrongSizeNamesColumnAndRow()
    {
        var ml = new MLContext();
        var bad = Examples();
        bad[1].Features = [1, 2];
        var data = ml.Data.LoadFromEnumerable(bad);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => TestData.Vectors(data, "Features"));
        StringAssert.Contains(e.Message, "'Features'");
        StringAssert.Contains(e.Message, "row 1");
    }

    [TestMethod]
    public void SchemaDefinitionCanSetVectorSizeAtRunTime()
    {
        var ml = new MLContext();
        var definition = SchemaDefinition.Create(typeof(Output), SchemaDefinition.Direction.Read);
        definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3);
        var data = ml.Data.LoadFromEnumerable(new[] { new Output { Features = [1, 2, 3] } }, definition);
        Assert.AreEqual(3, ((VectorDataViewType)data.Schema["Features"].Type).Size);
    }

    [TestMethod]
    public void ListsShuffleWithARandomAndKeepRowIds()
    {
        var ml = new MLContext();
        var items = Enumerable.Range(0, 50).Select(i => new CountingRow(new int[2], i, 0)).ToList();
        var data = ml.Data.LoadFromEnumerable(items);
        Assert.IsTrue(data.CanShuffle);
        Assert.AreEqual(50L, data.GetRowCount());
        var column = data.Schema["A"];
        using var cursor = data.GetRowCursor([column], new Random(1));
        var getter = cursor.GetGetter<float>(column);
        var ids = cursor.GetIdGetter();
        var order = new List<float>();
        while (cursor.MoveNext())
        {
            float a = 0;
            DataViewRowId id = default;
            getter(ref a);
            ids(ref id);
            Assert.AreEqual((ulong)a, id.Low, "the id is the index in the source list");
            order.Add(a);
        }
        CollectionAssert.AreNotEqual(Enumerable.Range(0, 50).Select(i => (float)i).ToList(), order);
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 50).Select(i => (float)i).ToList(), order);
    }
}
