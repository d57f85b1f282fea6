using TorchSharp;
using Vae.MLNet.Backend;
using static TorchSharp.torch;

namespace Vae.MLNet.Tests.Unit.Backend;

/// <summary>The bulk copies between spans and tensors that every batch of Fit and Transform goes through.</summary>
[TestClass]
public sealed class TensorCopyTests
{
    [TestMethod]
    public void FromSpanAndToSpanRoundTripRowMajor()
    {
        float[] values = [1, 2, 3, 4, 5, 6];
        using var t = TensorCopy.FromSpan(values, 2, 3);
        CollectionAssert.AreEqual(new long[] { 2, 3 }, t.shape);
        Assert.AreEqual(6f, t[1, 2].ToSingle());
        Assert.AreEqual(4f, t[1, 0].ToSingle());
        CollectionAssert.AreEqual(values, TensorCopy.ToArray(t));
    }

    [TestMethod]
    public void ToSpanReadsViewsInLogicalOrder()
    {
        using var t = TensorCopy.FromSpan([1, 2, 3, 4, 5, 6], 2, 3);
        using var transposed = t.t();
        CollectionAssert.AreEqual(new float[] { 1, 4, 2, 5, 3, 6 }, TensorCopy.ToArray(transposed));
        using var row = t[1];
        CollectionAssert.AreEqual(new float[] { 4, 5, 6 }, TensorCopy.ToArray(row));
    }

    [TestMethod]
    public void ToSpanFillsOnlyTheTensorsLengthOfALargerDestination()
    {
        using var t = TensorCopy.FromSpan([7, 8], 2);
        var destination = new float[] { 0, 0, -1 };
        TensorCopy.ToSpan(t, destination);
        CollectionAssert.AreEqual(new float[] { 7, 8, -1 }, destination);
    }

    [TestMethod]
    public void AMismatchOfValuesAndShapeOrDtypeIsRefused()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => TensorCopy.FromSpan([1, 2, 3], 2, 2));
        StringAssert.Contains(e.Message, "[2, 2]");
        using var doubles = zeros([2], ScalarType.Float64);
        Assert.ThrowsExactly<ArgumentException>(() => TensorCopy.ToArray(doubles));
    }
}
