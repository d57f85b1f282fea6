using Vae.MLNet.Data;

namespace Vae.MLNet.Tests.Data;

[TestClass]
public sealed class TextLoaderTests
{
    private string _dir = "";

    [TestInitialize]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("vae-text-").FullName;

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    private string Write(string text)
    {
        string path = Path.Combine(_dir, $"{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, text);
        return path;
    }

    private sealed class Row
    {
        [LoadColumn(0)]
        public float Label { get; set; }

        [LoadColumn(1, 3)]
        public float[] Features { get; set; } = [];

        [LoadColumn(4), ColumnName("Name")]
        public string Text { get; set; } = "";

        [LoadColumn(5)]
        public bool Flag { get; set; }

        [LoadColumn(6), KeyType(3)]
        public uint Category { get; set; }

        [LoadColumn([3, 1])]
        public int[] Picked { get; set; } = [];

        [NoColumn]
        public double Ignored { get; set; }
    }

    [TestMethod]
    public void LoadsTypedColumnsFromAttributes()
    {
        string path = Write("1\t2\t3\t4\thello\ttrue\t2\n0\t5\t\t7\tworld\t0\t\n");
        var ml = new MLContext();
        var data = ml.Data.LoadFromTextFile<Row>(path);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3), data.Schema["Features"].Type);
        Assert.AreEqual(new KeyDataViewType(typeof(uint), 3), data.Schema["Category"].Type);
        Assert.IsNull(data.Schema.GetColumnOrNull("Ignored"));

        var rows = ml.Data.CreateEnumerable<Row>(data, false, ignoreMissingColumns: true).ToList();
        Assert.AreEqual(2, rows.Count);
        CollectionAssert.AreEqual(new[] { 2f, 3f, 4f }, rows[0].Features);
        Assert.IsTrue(float.IsNaN(rows[1].Features[1]), "an empty float field is NaN");
        Assert.AreEqual("world", TestData.Column<ReadOnlyMemory<char>>(data, "Name")[1].ToString());
        Assert.IsTrue(rows[0].Flag);
        Assert.IsFalse(rows[1].Flag);
        Assert.AreEqual(3u, rows[0].Category, "text keys are 0-based; stored keys are 1-based");
        Assert.AreEqual(0u, rows[1].Category, "an empty key is missing (0)");
        CollectionAssert.AreEqual(new[] { 4, 2 }, rows[0].Picked);
    }

    private sealed class Csv
    {
        [LoadColumn(0)]
        public string Name { get; set; } = "";

        [LoadColumn(1, 2)]
        public double[] Values { get; set; } = [];
    }

    [TestMethod]
    public void HeaderQuotingAndTrimming()
    {
        string path = Write("name, x, y\n\"Smith, J\", 1.5 , 2\n\"say \"\"hi\"\"\",3,4\n\n");
        var ml = new MLContext();
        var data = ml.Data.LoadFromTextFile<Csv>(path, ',', hasHeader: true, allowQuoting: true, trimWhitespace: true);
        var names = TestData.Column<ReadOnlyMemory<char>>(data, "Name").Select(n => n.ToString()).ToList();
        CollectionAssert.AreEqual(new[] { "Smith, J", "say \"hi\"" }, names, "the empty last line is skipped");
        var values = TestData.Column<VBuffer<double>>(data, "Values");
        CollectionAssert.AreEqual(new[] { 1.5, 2.0 }, values[0].DenseValues().ToArray());
        var slots = default(VBuffer<ReadOnlyMemory<char>>);
        data.Schema["Values"].GetSlotNames(ref slots);
        CollectionAssert.AreEqual(new[] { "x", "y" }, slots.DenseValues().Select(s => s.ToString()).ToArray());
    }

    private sealed class Wide
    {
        [LoadColumn(0)]
        public float Label { get; set; }

        [LoadColumn(1, 6)]
        public float[] Features { get; set; } = [];
    }

    [TestMethod]
    public void SparseLinesFillAbsentFieldsWithZero()
    {
        string path = Write("1 6 0:5 4:7\n2 9 8 7 6 5 4\n");
        var data = new MLContext().Data.LoadFromTextFile<Wide>(path, ' ', allowSparse: true);
        var features = TestData.Vectors(data, "Features");
        CollectionAssert.AreEqual(new[] { 5f, 0f, 0f, 0f, 7f, 0f }, features[0]);
        CollectionAssert.AreEqual(new[] { 9f, 8f, 7f, 6f, 5f, 4f }, features[1]);
        CollectionAssert.AreEqual(new[] { 1f, 2f }, TestData.Column<float>(data, "Label"));
    }

    [TestMethod]
    public void ParseErrorNamesFileLineFieldAndColumn()
    {
        string path = Write("1\t2\t3\t4\ta\ttrue\t0\n1\t2\tnot-a-number\t4\tb\ttrue\t0\n");
        var data = new MLContext().Data.LoadFromTextFile<Row>(path);
        var e = Assert.ThrowsExactly<FormatException>(() => TestData.Vectors(data, "Features"));
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "line 2");
        StringAssert.Contains(e.Message, "field 2");
        StringAssert.Contains(e.Message, "'Features'");
        StringAssert.Contains(e.Message, "not-a-number");

        var labels = TestData.Column<float>(data, "Label");
        Assert.AreEqual(2, labels.Count, "columns that are not read are not parsed");
    }

    [TestMethod]
    public void KeyOutOfRangeAndUnclosedQuoteAreErrors()
    {
        string keys = Write("1\t2\t3\t4\ta\ttrue\t3\n");
        var e = Assert.ThrowsExactly<FormatException>(() => TestData.Column<uint>(new MLContext().Data.LoadFromTextFile<Row>(keys), "Category"));
        StringAssert.Contains(e.Message, "line 1");

        string quotes = Write("\"open,1,2\n");
        var q = Assert.ThrowsExactly<FormatException>(() => TestData.Column<ReadOnlyMemory<char>>(new MLContext().Data.LoadFromTextFile<Csv>(quotes, ',', allowQuoting: true), "Name"));
        StringAssert.Contains(q.Message, "not closed");
    }

    private sealed class Unannotated
    {
        public float X { get; set; }
    }

    [TestMethod]
    public void MissingFileAndMissingAttributeFailEarly()
    {
        var ml = new MLContext();
        Assert.ThrowsExactly<FileNotFoundException>(() => ml.Data.LoadFromTextFile<Row>(Path.Combine(_dir, "nope.txt")));
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Data.LoadFromTextFile<Unannotated>(Write("1\n")));
        StringAssert.Contains(e.Message, "'X'");
    }

    [TestMethod]
    public void ExplicitColumnsWork()
    {
        string path = Write("3,a,1,2\n");
        var data = new MLContext().Data.LoadFromTextFile(path,
        [
            new TextLoader.Column("Label", DataKind.Int64, 0),
            new TextLoader.Column("Text", DataKind.String, 1),
            new TextLoader.Column("V", DataKind.Double, 2, 3),
        ], separatorChar: ',');
        CollectionAssert.AreEqual(new[] { 3L }, TestData.Column<long>(data, "Label"));
        CollectionAssert.AreEqual(new[] { 1.0, 2.0 }, TestData.Column<VBuffer<double>>(data, "V")[0].DenseValues().ToArray());
    }
}
