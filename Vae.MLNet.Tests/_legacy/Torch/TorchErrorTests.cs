using Vae.MLNet.Torch;

namespace Vae.MLNet.Tests.Torch;

[TestClass]
public sealed class TorchErrorTests
{
    [TestMethod]
    public void MatmulOfMismatchedShapesNamesBothShapesAndTheProcessGoesOn()
    {
        using var scope = torch.NewDisposeScope();
        var e = Assert.ThrowsException<TorchException>(() => torch.randn(2, 3).matmul(torch.randn(4, 5)));
        StringAssert.Contains(e.Message, "[2, 3]");
        StringAssert.Contains(e.Message, "[4, 5]");
        StringAssert.Contains(e.Message, "2x3 and 4x5", "libtorch's own message is kept");
        // The thread-local error slot does not leak into the next successful call.
        Assert.AreEqual(6, torch.ones(2, 3).sum().item<float>());
    }

    [TestMethod]
    public void BadShapesAndDtypesBecomeManagedExceptions()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.ones(2, 3);
        Assert.ThrowsException<TorchException>(() => a + torch.ones(4));
        Assert.ThrowsException<TorchException>(() => a.view(5));
        Assert.ThrowsException<TorchException>(() => a.unsqueeze(7));
        Assert.ThrowsException<TorchException>(() => a.sum(5));
        Assert.ThrowsException<TorchException>(() => a.index_select(0, torch.tensor(new float[] { 0 })));
        Assert.ThrowsException<TorchException>(() => a.index_select(0, torch.tensor(new long[] { 9 })));
        Assert.ThrowsException<TorchException>(() => torch.cat([a, torch.ones(2, 2, 2)]));
        Assert.ThrowsException<TorchException>(() => a.item<float>());
        Assert.ThrowsException<TorchException>(() => torch.nn.functional.cross_entropy(a, torch.tensor(new long[] { 0, 5 })));
        Assert.ThrowsException<TorchException>(() => torch.nn.functional.mse_loss(a, torch.ones(3, 2)));
        var e = Assert.ThrowsException<ArgumentException>(() => torch.tensor(new long[] { 1 }).data<float>());
        StringAssert.Contains(e.Message, "Int64");
        Assert.ThrowsException<ArgumentException>(() => torch.cat(Array.Empty<torch.Tensor>()));
    }

    [TestMethod]
    public void ADisposedTensorThrowsObjectDisposed()
    {
        var t = torch.ones(2);
        t.Dispose();
        t.Dispose(); // disposing twice is harmless
        Assert.IsTrue(t.IsInvalid);
        Assert.ThrowsException<ObjectDisposedException>(() => t.sum());
        using var other = torch.ones(2);
        Assert.ThrowsException<ObjectDisposedException>(() => other + t);
    }

    [TestMethod]
    public void BackwardWithoutGradientsIsAnError()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(3);
        Assert.ThrowsException<TorchException>(() => x.sum().backward());
        Assert.ThrowsException<TorchException>(() => torch.ones([3], requires_grad: true).mul(2).backward());
        Assert.ThrowsException<TorchException>(() => torch.tensor(new long[] { 1 }).requires_grad = true);
    }

    [TestMethod]
    public void ErrorsOnOneThreadDoNotLeakToAnother()
    {
        var messages = new string[4];
        Parallel.For(0, 4, i =>
        {
            using var scope = torch.NewDisposeScope();
            try
            {
                torch.ones(i + 1, 2).matmul(torch.ones(3, 4));
            }
            catch (TorchException e)
            {
                messages[i] = e.Message;
            }
        });
        for (int i = 0; i < 4; i++) StringAssert.Contains(messages[i], $"[{i + 1}, 2]");
    }
}
