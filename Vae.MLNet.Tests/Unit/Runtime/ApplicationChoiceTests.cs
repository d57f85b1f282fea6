using Vae.MLNet.Runtime;

namespace Vae.MLNet.Tests.Unit.Runtime;

/// <summary>Each opt-out of a process-level choice is an AppContext switch and the older environment variable (<c>Runtime/ApplicationChoice</c>).</summary>
[TestClass]
public sealed class ApplicationChoiceTests
{
    [TestMethod]
    public void EachOptOutIsASwitchOrItsVariableSetToDefault()
    {
        var optOuts = new[] { ApplicationChoice.Malloc, ApplicationChoice.Kernels, ApplicationChoice.OneDnnAvoidance };
        CollectionAssert.AreEqual(new[] { "VAE_MLNET_MALLOC", "VAE_MLNET_KERNELS", "VAE_MLNET_ONEDNN" }, optOuts.Select(o => o.Variable).ToArray());
        CollectionAssert.AreEqual(new[] { "Vae.MLNet.Malloc.Disable", "Vae.MLNet.Kernels.Disable", "Vae.MLNet.OneDnnAvoidance.Disable" }, optOuts.Select(o => o.Switch).ToArray());
        foreach (var optOut in optOuts)
        {
            Assert.IsFalse(optOut.IsChosenBy(_ => null, _ => false), optOut.Switch);
            Assert.IsTrue(optOut.IsChosenBy(_ => null, name => name == optOut.Switch), optOut.Switch);
            Assert.IsTrue(optOut.IsChosenBy(name => name == optOut.Variable ? "Default" : null, _ => false), optOut.Variable);
            Assert.IsFalse(optOut.IsChosenBy(name => name == optOut.Variable ? "on" : null, _ => false), optOut.Variable + "=on");
        }
    }

    [TestMethod]
    public void TheVaeFitsThreadsFollowTrainingThreadsAndTheProcessor()
    {
        // Elsewhere than on AMD with AVX-512: libtorch at TrainingThreads, or as it is for 0.
        Assert.AreEqual(new TrainingThreadPolicy(null, null), TrainingThreadPolicy.WithOwnKernels(0, 16, packedPreferred: false));
        Assert.AreEqual(new TrainingThreadPolicy(4, null), TrainingThreadPolicy.WithOwnKernels(4, 16, packedPreferred: false));
        // On AMD with AVX-512, two or more threads: libtorch at one, the packed kernels at two.
        Assert.AreEqual(new TrainingThreadPolicy(1, 2), TrainingThreadPolicy.WithOwnKernels(0, 16, packedPreferred: true));
        Assert.AreEqual(new TrainingThreadPolicy(1, 2), TrainingThreadPolicy.WithOwnKernels(8, 1, packedPreferred: true));
        Assert.AreEqual(new TrainingThreadPolicy(1, null), TrainingThreadPolicy.WithOwnKernels(1, 16, packedPreferred: true));
        Assert.AreEqual(new TrainingThreadPolicy(null, null), TrainingThreadPolicy.WithOwnKernels(0, 1, packedPreferred: true));
        Assert.AreEqual(new TrainingThreadPolicy(null, null), TrainingThreadPolicy.LibtorchOnly(0));
        Assert.AreEqual(new TrainingThreadPolicy(3, null), TrainingThreadPolicy.LibtorchOnly(3));
    }
}
