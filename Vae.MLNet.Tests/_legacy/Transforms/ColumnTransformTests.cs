using Vae.MLNet.Data;
using Vae.MLNet.Tests.Data;

namespace Vae.MLNet.Tests.Transforms;

[TestClass]
public sealed class ColumnTransformTests
{
    private sealed class Row
    {
        public float A { get; set; }

        [VectorType(2)]
        public float[] V { get; set; } = [];

        public float B { get; set; }

        public string Name { get; set; } = "";

        public double D { get; set; }
    }

    private static IDataView Data(MLContext ml) => ml.Data.LoadFromEnumerable(new[]
    {
        new Row { A = 1, V = [2, 3], B = 4, Name = "x", D = 1 },
        new Row { A = 5, V = [6, 7], B = 8, Name = "y", D = 2 },
    });

    [TestMethod]
    public void ConcatenateJoinsScalarsAndVectorsWithSlotNames()
    {
        var ml = new MLContext();
        var data = Data(ml);
        var output = ml.Transforms.Concatenate("F", "A", "V", "B").Fit(data).Transform(data);
        var column = output.Schema["F"];
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 4), column.Type);
        var rows = TestData.Vectors(output, "F");
        CollectionAssert.AreEqual(new[] { 1f, 2f, 3f, 4f }, rows[0]);
        CollectionAssert.AreEqual(new[] { 5f, 6f, 7f, 8f }, rows[1]);
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        column.GetSlotNames(ref names);
        CollectionAssert.AreEqual(new[] { "A", "", "", "B" }, names.DenseValues().Select(n => n.ToString()).ToArray());
    }

    [TestMethod]
    public void ConcatenateCarriesNamedSlotsAndKeepsSparsity()
    {
        var ml = new MLContext();
        var data = Data(ml);
        var first = ml.Transforms.Concatenate("AB", "A", "B").Fit(data).Transform(data);
        var second = ml.Transforms.Concatenate("F", "AB", "A").Fit(first).Transform(first);
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        second.Schema["F"].GetSlotNames(ref names);
        CollectionAssert.AreEqual(new[] { "AB.A", "AB.B", "A" }, names.DenseValues().Select(n => n.ToString()).ToArray());

        var sparse = new SparseSource(new VBuffer<float>(5, 2, [1f, 2f], [1, 4]));
        var joined = ml.Transforms.Concatenate("J", "S", "S").Fit(sparse).Transform(sparse);
        var value = TestData.Column<VBuffer<float>>(joined, "J")[0];
        Assert.IsFalse(value.IsDense);
        CollectionAssert.AreEqual(new[] { 1, 4, 6, 9 }, value.GetIndices().ToArray());
        CollectionAssert.AreEqual(new[] { 0f, 1f, 0f, 0f, 2f, 0f, 1f, 0f, 0f, 2f }, value.DenseValues().ToArray());
    }

    [TestMethod]
    public void ConcatenateRejectsMixedItemTypes()
    {
        var ml = new MLContext();
        var data = Data(ml);
        var estimator = ml.Transforms.Concatenate("F", "A", "D");
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(SchemaShape.Create(data.Schema)));
        StringAssert.Contains(e.Message, "'D'");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.Fit(data));
        var missing = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.Concatenate("F", "A", "Nope").Fit(data));
        StringAssert.Contains(missing.Message, "'Nope'");
    }

    [TestMethod]
    public void DropAndSelectColumns()
    {
        var ml = new MLContext();
        var data = Data(ml);
        var copied = ml.Transforms.CopyColumns("A", "B").Fit(data).Transform(data);
        Assert.IsTrue(copied.Schema[0].IsHidden, "the copy shadows the original A");

        var dropped = ml.Transforms.DropColumns("A", "Name").Fit(copied).Transform(copied);
        CollectionAssert.AreEqual(new[] { "V", "B", "D" }, dropped.Schema.Select(c => c.Name).ToArray());

        var selected = ml.Transforms.SelectColumns("D", "A").Fit(copied).Transform(copied);
        CollectionAssert.AreEqual(new[] { "D", "A" }, selected.Schema.Select(c => c.Name).ToArray());
        CollectionAssert.AreEqual(new[] { 4f, 8f }, TestData.Column<float>(selected, "A"), "the visible A (the copy of B) is kept");

        var withHidden = ml.Transforms.SelectColumns(["A"], keepHidden: true).Fit(copied).Transform(copied);
        Assert.AreEqual(2, withHidden.Schema.Count);
        Assert.IsTrue(withHidden.Schema[0].IsHidden);

        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.DropColumns("Nope").Fit(data));
        StringAssert.Contains(e.Message, "'Nope'");
    }

    [TestMethod]
    public void CopyKeepsTypeAndAnnotations()
    {
        var ml = new MLContext();
        var data = Data(ml);
        var joined = ml.Transforms.Concatenate("F", "A", "B").Fit(data).Transform(data);
        var copy = ml.Transforms.CopyColumns("G", "F").Fit(joined).Transform(joined);
        Assert.IsTrue(copy.Schema["G"].HasSlotNames(2));
        CollectionAssert.AreEqual(new[] { 5f, 8f }, TestData.Vectors(copy, "G")[1]);
    }
}

/// <summary>A one-row view with a sparse float vector column "S", for sparsity tests.</summary>
internal sealed class SparseSource : IDataView
{
    private readonly VBuffer<float> _value;

    public SparseSource(VBuffer<float> value)
    {
        _value = value;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("S", new VectorDataViewType(NumberDataViewType.Single, value.Length));
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => 1;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    private sealed class Cursor(SparseSource owner) : DataViewRowCursor
    {
        private long _position = -1;

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => owner.Schema;

        private bool _done;

        public override bool MoveNext()
        {
            _position = _done ? -1 : _position + 1;
            _done = _position != 0;
            return _position == 0;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            (ValueGetter<TValue>)(Delegate)(ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) => owner._value.CopyTo(ref v));

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);
    }
}
