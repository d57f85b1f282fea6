using Vae.MLNet.Torch;

namespace Vae.MLNet.Tests.Torch;

[TestClass]
public sealed class DisposeScopeTests
{
    [TestMethod]
    public void TensorsCreatedInsideAreDisposedWithTheScope()
    {
        torch.Tensor a, b;
        using (var scope = torch.NewDisposeScope())
        {
            a = torch.ones(3);
            b = a * 2 + 1;
            Assert.AreEqual(3, scope.DisposablesCount, "ones, the product and the sum");
        }
        Assert.IsTrue(a.IsInvalid);
        Assert.IsTrue(b.IsInvalid);
    }

    [TestMethod]
    public void MoveToOuterDisposeScopeKeepsATensorAlive()
    {
        torch.Tensor kept, dropped;
        using (var outer = torch.NewDisposeScope())
        {
            using (var inner = torch.NewDisposeScope())
            {
                dropped = torch.zeros(2);
                kept = torch.ones(2).MoveToOuterDisposeScope();
                Assert.AreEqual(1, inner.DisposablesCount);
            }
            Assert.IsTrue(dropped.IsInvalid);
            Assert.IsFalse(kept.IsInvalid);
            Assert.AreEqual(2, kept.sum().item<float>());
        }
        Assert.IsTrue(kept.IsInvalid, "the outer scope owned it");
    }

    [TestMethod]
    public void DetachedTensorsAndTensorsOutsideScopesAreTheCallersToDispose()
    {
        torch.Tensor detached;
        using (torch.NewDisposeScope())
            detached = torch.ones(2).DetachFromDisposeScope();
        Assert.IsFalse(detached.IsInvalid);
        detached.Dispose();
        Assert.IsTrue(detached.IsInvalid);
    }

    [TestMethod]
    public void ScopesArePerThread()
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor? fromOtherThread = null;
        var thread = new Thread(() => fromOtherThread = torch.ones(1));
        thread.Start();
        thread.Join();
        Assert.AreEqual(0, scope.DisposablesCount);
        Assert.IsFalse(fromOtherThread!.IsInvalid);
        fromOtherThread.Dispose();
    }

    [TestMethod]
    public void ManuallyDisposedTensorsLeaveTheScope()
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.ones(1);
        t.Dispose();
        Assert.AreEqual(0, scope.DisposablesCount);
    }
}
