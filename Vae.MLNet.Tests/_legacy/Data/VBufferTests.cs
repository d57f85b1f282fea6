using Vae.MLNet.Data;

namespace Vae.MLNet.Tests.Data;

[TestClass]
public sealed class VBufferTests
{
    [TestMethod]
    public void SparseVectorReadsImplicitItemsAsDefault()
    {
        var v = new VBuffer<float>(5, 2, [3f, 7f], [1, 4]);
        Assert.IsFalse(v.IsDense);
        CollectionAssert.AreEqual(new[] { 0f, 3f, 0f, 0f, 7f }, v.DenseValues().ToArray());
        Assert.AreEqual(7f, v.GetItemOrDefault(4));
        Assert.AreEqual(0f, v.GetItemOrDefault(2));
        CollectionAssert.AreEqual(new[] { 1, 4 }, v.GetIndices().ToArray());
        CollectionAssert.AreEqual(new[] { 1, 4 }, v.Items().Select(p => p.Key).ToArray());
        Assert.AreEqual(5, v.Items(all: true).Count());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => v.GetItemOrDefault(5));
    }

    [TestMethod]
    public void CopyToReusesBigEnoughArrays()
    {
        var dst = new VBuffer<float>(4, [0f, 0f, 0f, 0f]);
        var before = dst.GetValues().ToArray();
        var src = new VBuffer<float>(3, [1f, 2f, 3f]);
        var editorProbe = VBufferEditor.Create(ref dst, 3);
        Assert.IsFalse(editorProbe.CreatedNewValues);
        src.CopyTo(ref dst);
        Assert.AreEqual(3, dst.Length);
        CollectionAssert.AreEqual(new[] { 1f, 2f, 3f }, dst.DenseValues().ToArray());
        Assert.AreEqual(4, before.Length);
    }

    [TestMethod]
    public void SparseCopyAndSliceKeepPositions()
    {
        var v = new VBuffer<int>(6, 3, [5, 6, 7], [0, 2, 5]);
        var copy = default(VBuffer<int>);
        v.CopyTo(ref copy);
        CollectionAssert.AreEqual(v.DenseValues().ToArray(), copy.DenseValues().ToArray());
        var slice = default(VBuffer<int>);
        v.CopyTo(ref slice, 2, 4);
        CollectionAssert.AreEqual(new[] { 6, 0, 0, 7 }, slice.DenseValues().ToArray());
        var dense = new int[6];
        v.CopyTo(dense);
        CollectionAssert.AreEqual(new[] { 5, 0, 6, 0, 0, 7 }, dense);
        var toDense = default(VBuffer<int>);
        v.CopyToDense(ref toDense);
        Assert.IsTrue(toDense.IsDense);
    }

    [TestMethod]
    public void EditorBuildsSparseVector()
    {
        var buffer = default(VBuffer<double>);
        var editor = VBufferEditor.Create(ref buffer, 10, 2);
        editor.Values[0] = 1.5;
        editor.Indices[0] = 3;
        editor.Values[1] = 2.5;
        editor.Indices[1] = 9;
        buffer = editor.Commit();
        Assert.AreEqual(10, buffer.Length);
        Assert.AreEqual(2.5, buffer.GetItemOrDefault(9));
        var truncated = VBufferEditor.CreateFromBuffer(ref buffer).CommitTruncated(1);
        Assert.AreEqual(0.0, truncated.GetItemOrDefault(9));
        Assert.AreEqual(1.5, truncated.GetItemOrDefault(3));
    }

    [TestMethod]
    public void ConstructorsRejectInconsistentSizes()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new VBuffer<float>(3, [1f]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new VBuffer<float>(3, 4, [1f, 2f, 3f, 4f], null));
        Assert.ThrowsExactly<ArgumentException>(() => new VBuffer<float>(3, 2, [1f, 2f], null));
        Assert.AreEqual(0, default(VBuffer<float>).GetValues().Length);
    }
}
