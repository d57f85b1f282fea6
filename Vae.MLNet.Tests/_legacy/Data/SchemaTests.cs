using Vae.MLNet.Data;

namespace Vae.MLNet.Tests.Data;

[TestClass]
public sealed class SchemaTests
{
    [TestMethod]
    public void LaterColumnShadowsEarlierOneOfTheSameName()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("X", NumberDataViewType.Single);
        builder.AddColumn("Y", TextDataViewType.Instance);
        builder.AddColumn("X", NumberDataViewType.Double);
        var schema = builder.ToSchema();

        Assert.AreEqual(3, schema.Count);
        Assert.IsTrue(schema[0].IsHidden);
        Assert.IsFalse(schema[2].IsHidden);
        Assert.AreEqual(2, schema["X"].Index);
        Assert.AreEqual(NumberDataViewType.Double, schema["X"].Type);
        Assert.IsNull(schema.GetColumnOrNull("Z"));
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _ = schema["Z"]);
        StringAssert.Contains(e.Message, "'Z'");
    }

    [TestMethod]
    public void AnnotationsCarrySlotNamesAndKeyValues()
    {
        var annotations = new DataViewSchema.Annotations.Builder();
        annotations.AddSlotNames(2, (ref VBuffer<ReadOnlyMemory<char>> v) => v = new VBuffer<ReadOnlyMemory<char>>(2, ["a".AsMemory(), "b".AsMemory()]));
        annotations.AddKeyValues(3, NumberDataViewType.Single, (ref VBuffer<float> v) => v = new VBuffer<float>(3, [10f, 20f, 30f]));
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("V", new VectorDataViewType(NumberDataViewType.Single, 2), annotations.ToAnnotations());
        var column = builder.ToSchema()["V"];

        Assert.IsTrue(column.HasSlotNames(2));
        Assert.IsFalse(column.HasSlotNames(3));
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        column.GetSlotNames(ref names);
        CollectionAssert.AreEqual(new[] { "a", "b" }, names.DenseValues().Select(n => n.ToString()).ToArray());
        Assert.IsTrue(column.HasKeyValues(NumberDataViewType.Single));
        var keys = default(VBuffer<float>);
        column.GetKeyValues(ref keys);
        CollectionAssert.AreEqual(new[] { 10f, 20f, 30f }, keys.DenseValues().ToArray());
        Assert.ThrowsExactly<InvalidOperationException>(() => column.Annotations.GetValue(AnnotationUtils.Kinds.IsNormalized, ref keys));
    }

    [TestMethod]
    public void FixedAnnotationValueCannotBeChangedThroughAReceivedBuffer()
    {
        var annotations = new DataViewSchema.Annotations.Builder();
        annotations.Add(AnnotationUtils.Kinds.KeyValues, new VectorDataViewType(NumberDataViewType.Int32, 2), new VBuffer<int>(2, [1, 2]));
        var built = annotations.ToAnnotations();
        var first = default(VBuffer<int>);
        built.GetValue(AnnotationUtils.Kinds.KeyValues, ref first);
        VBufferEditor.CreateFromBuffer(ref first).Values[0] = 99;
        var second = default(VBuffer<int>);
        built.GetValue(AnnotationUtils.Kinds.KeyValues, ref second);
        Assert.AreEqual(1, second.GetItemOrDefault(0));
    }

    [TestMethod]
    public void GetterOfWrongTypeNamesColumnAndBothTypes()
    {
        var data = new MLContext().Data.LoadFromEnumerable(new[] { new CountingRow(new int[2], 1, 2) });
        using var cursor = data.GetRowCursor(data.Schema);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<double>(data.Schema["A"]));
        StringAssert.Contains(e.Message, "'A'");
        StringAssert.Contains(e.Message, "Single");
        StringAssert.Contains(e.Message, "System.Double");
    }

    [TestMethod]
    public void GetterOfInactiveColumnFails()
    {
        var data = new MLContext().Data.LoadFromEnumerable(new[] { new CountingRow(new int[2], 1, 2) });
        using var cursor = data.GetRowCursor([data.Schema["A"]]);
        Assert.IsFalse(cursor.IsColumnActive(data.Schema["B"]));
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<float>(data.Schema["B"]));
        StringAssert.Contains(e.Message, "'B' is not active");
    }

    [TestMethod]
    public void TypesCompareByValue()
    {
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3), new VectorDataViewType(NumberDataViewType.Single, 3));
        Assert.AreNotEqual(new VectorDataViewType(NumberDataViewType.Single, 3), new VectorDataViewType(NumberDataViewType.Single));
        Assert.AreEqual(new KeyDataViewType(typeof(uint), 4), new KeyDataViewType(typeof(uint), 4));
        Assert.AreNotEqual(new KeyDataViewType(typeof(uint), 4), new KeyDataViewType(typeof(uint), 5));
        Assert.AreEqual("Vector<Single, 28, 28>", new VectorDataViewType(NumberDataViewType.Single, 28, 28).ToString());
        Assert.AreEqual(784, new VectorDataViewType(NumberDataViewType.Single, 28, 28).Size);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new KeyDataViewType(typeof(int), 3));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new KeyDataViewType(typeof(byte), 300));
    }

    [TestMethod]
    public void SchemaShapeDescribesKindsAndKeys()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("S", NumberDataViewType.Single);
        builder.AddColumn("V", new VectorDataViewType(NumberDataViewType.Single, 4));
        builder.AddColumn("U", new VectorDataViewType(NumberDataViewType.Double));
        builder.AddColumn("K", new KeyDataViewType(typeof(uint), 3));
        var shape = SchemaShape.Create(builder.ToSchema());

        Assert.IsTrue(shape.TryFindColumn("V", out var v));
        Assert.AreEqual(SchemaShape.VectorKind.Vector, v.Kind);
        Assert.IsTrue(shape.TryFindColumn("U", out var u));
        Assert.AreEqual(SchemaShape.VectorKind.VariableVector, u.Kind);
        Assert.IsTrue(shape.TryFindColumn("K", out var k));
        Assert.IsTrue(k.IsKey);
        Assert.AreEqual(NumberDataViewType.UInt32, k.ItemType);
        Assert.IsFalse(shape.TryFindColumn("Nope", out _));
        var expectedVar = new SchemaShape.Column("V", SchemaShape.VectorKind.VariableVector, NumberDataViewType.Single, false);
        Assert.IsTrue(expectedVar.IsCompatibleWith(v));
    }
}
