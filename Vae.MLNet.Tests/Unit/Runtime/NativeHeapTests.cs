using Vae.MLNet.Runtime;

namespace Vae.MLNet.Tests.Unit.Runtime;

/// <summary>The malloc thresholds that keep each batch's tensors from being faulted in afresh during a Fit (<c>Runtime/NativeHeap</c>).</summary>
[TestClass]
[DoNotParallelize]
public sealed class NativeHeapTests
{
    // Whether the thresholds cut the page faults is a benchmark figure (fit-mlp's minor_faults_per_sample); what a Fit
    // leaves behind is seen from a fresh process (ProcessFootprintTests).
    [TestMethod]
    public void TheThresholdsHoldFromTheFirstFitInToTheLastFitOut()
    {
        if (NativeHeap.ReasonToKeepDefaults(Environment.GetEnvironmentVariable, ApplicationChoice.IsSwitchOn) is { } reason)
            Assert.Inconclusive("this process keeps glibc's malloc defaults: " + reason);
        Assert.IsFalse(NativeHeap.IsTuned, "outside a Fit, malloc runs as the application left it");
        NativeHeap.Enter();
        Assert.IsTrue(NativeHeap.IsTuned, "mallopt refused M_MMAP_THRESHOLD or M_TRIM_THRESHOLD");
        NativeHeap.Enter();
        NativeHeap.Leave();
        Assert.IsTrue(NativeHeap.IsTuned, "a second, overlapping Fit leaving first keeps them for the first");
        NativeHeap.Leave();
        Assert.IsFalse(NativeHeap.IsTuned, "the last Fit to leave ends the Fit's thresholds");
    }

    [TestMethod]
    public void TheApplicationsOwnMallocSettingsWin()
    {
        Dictionary<string, string> none = [];
        string? Lookup(Dictionary<string, string> variables, string name) => variables.GetValueOrDefault(name);
        bool NoSwitch(string name) => false;
        if (OperatingSystem.IsLinux())
            Assert.IsNull(NativeHeap.ReasonToKeepDefaults(name => Lookup(none, name), NoSwitch));
        foreach (var (name, value) in new[]
        {
            ("VAE_MLNET_MALLOC", "default"), ("MALLOC_TRIM_THRESHOLD_", "131072"), ("MALLOC_MMAP_THRESHOLD_", "65536"),
            ("GLIBC_TUNABLES", "glibc.malloc.trim_threshold=0"),
        })
        {
            var set = new Dictionary<string, string> { [name] = value };
            Assert.IsNotNull(NativeHeap.ReasonToKeepDefaults(n => Lookup(set, n), NoSwitch), name);
        }
        Assert.IsNotNull(NativeHeap.ReasonToKeepDefaults(n => Lookup(none, n), n => n == "Vae.MLNet.Malloc.Disable"), "the AppContext switch");
        var unrelated = new Dictionary<string, string> { ["GLIBC_TUNABLES"] = "glibc.pthread.rseq=0", ["VAE_MLNET_MALLOC"] = "tuned" };
        if (OperatingSystem.IsLinux())
            Assert.IsNull(NativeHeap.ReasonToKeepDefaults(n => Lookup(unrelated, n), n => n == "Vae.MLNet.Gemm.Disable"));
    }
}
