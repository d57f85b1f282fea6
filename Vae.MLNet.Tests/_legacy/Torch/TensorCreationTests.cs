using Vae.MLNet.Torch;

namespace Vae.MLNet.Tests.Torch;

[TestClass]
public sealed class TensorCreationTests
{
    [TestMethod]
    public void TensorFromArrayKeepsValuesShapeAndType()
    {
        using var t = torch.tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        TensorAssert.Shape([2, 3], t);
        Assert.AreEqual(torch.ScalarType.Float32, t.dtype);
        Assert.AreEqual(DeviceType.CPU, t.device_type);
        CollectionAssert.AreEqual(new float[] { 1, 2, 3, 4, 5, 6 }, t.data<float>().ToArray());
        Assert.AreEqual(6f, t[1][2].item<float>());
        Assert.IsFalse(t.requires_grad);

        using var d = torch.tensor(new double[] { 0.1, 0.2 }, requires_grad: true);
        Assert.AreEqual(torch.ScalarType.Float64, d.dtype);
        Assert.IsTrue(d.requires_grad);
        using var l = torch.tensor(new long[] { 7, -8 });
        Assert.AreEqual(torch.ScalarType.Int64, l.dtype);
        CollectionAssert.AreEqual(new long[] { 7, -8 }, l.data<long>().ToArray());
    }

    [TestMethod]
    public void DataCopiesIntoASpan()
    {
        using var t = torch.arange(0, 4).to(torch.ScalarType.Float32);
        Span<float> buffer = stackalloc float[4];
        t.data<float>().CopyTo(buffer);
        CollectionAssert.AreEqual(new float[] { 0, 1, 2, 3 }, buffer.ToArray());
    }

    [TestMethod]
    public void FactoriesFillAsDocumented()
    {
        using var scope = torch.NewDisposeScope();
        CollectionAssert.AreEqual(new float[6], torch.zeros(2, 3).data<float>().ToArray());
        CollectionAssert.AreEqual(Enumerable.Repeat(1f, 4).ToArray(), torch.ones(4).data<float>().ToArray());
        CollectionAssert.AreEqual(Enumerable.Repeat(2.5, 3).ToArray(), torch.full([3], 2.5, torch.ScalarType.Float64).data<double>().ToArray());
        CollectionAssert.AreEqual(new long[] { 2, 4, 6 }, torch.arange(2, 8, 2).data<long>().ToArray());
        CollectionAssert.AreEqual(new float[] { 0, 0.5f, 1, 1.5f }, torch.arange(0, 2, 0.5).data<float>().ToArray());
        CollectionAssert.AreEqual(new float[] { 1, 0, 0, 0, 1, 0 }, torch.eye(2, 3).data<float>().ToArray());
        var like = torch.zeros_like(torch.ones([2, 2], torch.ScalarType.Float64));
        Assert.AreEqual(torch.ScalarType.Float64, like.dtype);
        TensorAssert.Shape([2, 2], torch.ones_like(like));
    }

    [TestMethod]
    public void RandomFactoriesFollowTheirDistributionsAndTheSeed()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(42);
        var a = torch.randn(100_000).data<float>().ToArray();
        torch.manual_seed(42);
        var b = torch.randn(100_000).data<float>().ToArray();
        CollectionAssert.AreEqual(a, b, "same seed, same draws");
        double mean = a.Average(), variance = a.Select(v => (v - mean) * (v - mean)).Average();
        Assert.AreEqual(0, mean, 0.02);
        Assert.AreEqual(1, variance, 0.02);

        var u = torch.rand(100_000).data<float>().ToArray();
        Assert.IsTrue(u.All(v => v >= 0 && v < 1));
        Assert.AreEqual(0.5, u.Average(), 0.01);
        TensorAssert.Shape([3, 4], torch.randn_like(torch.zeros(3, 4)));
        Assert.IsTrue(torch.rand_like(torch.zeros(50)).data<float>().ToArray().All(v => v is >= 0 and < 1));
    }

    [TestMethod]
    public void DataWithTheWrongElementCountNamesTheShape()
    {
        var e = Assert.ThrowsException<ArgumentException>(() => torch.tensor(new float[] { 1, 2, 3 }, [2, 2]));
        StringAssert.Contains(e.Message, "[2, 2]");
        StringAssert.Contains(e.Message, "3");
    }

    [TestMethod]
    public void ThreadSettingsRoundTrip()
    {
        int before = torch.get_num_threads();
        try
        {
            torch.set_num_threads(1);
            Assert.AreEqual(1, torch.get_num_threads());
            Assert.ThrowsException<TorchException>(() => torch.set_num_threads(0));
        }
        finally
        {
            torch.set_num_threads(before);
        }
    }

    [TestMethod]
    public void CudaRequestWithoutCudaGivesAClearException()
    {
        if (torch.cuda.is_available()) Assert.Inconclusive("This machine has CUDA; the missing-CUDA path cannot be checked here.");
        var e = Assert.ThrowsException<InvalidOperationException>(() => torch.zeros([2], device: torch.CUDA));
        StringAssert.Contains(e.Message, "CUDA");
        using var t = torch.zeros(2);
        Assert.ThrowsException<InvalidOperationException>(() => t.to(torch.device("cuda:0")));
        Assert.AreEqual("cuda:1", torch.device("cuda:1").ToString());
        Assert.ThrowsException<ArgumentException>(() => torch.device("tpu"));
    }
}
