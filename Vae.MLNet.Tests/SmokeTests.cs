namespace Vae.MLNet.Tests;

[TestClass]
public sealed class SmokeTests
{
    [TestMethod]
    public void LibraryAssemblyLoads() => Assert.AreEqual("Vae.MLNet", typeof(Vae.MLNet.Torch.TorchMarker).Assembly.GetName().Name);
}
