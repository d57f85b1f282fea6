using Vae.MLNet.Backend;

namespace Vae.MLNet.Tests.Backend;

/// <summary>The malloc thresholds that keep each batch's tensors from being faulted in afresh (<c>Backend/NativeHeap</c>).</summary>
[TestClass]
[DoNotParallelize]
public sealed class NativeHeapTests
{
    // Whether the thresholds cut the page faults is a benchmark figure (fit-mlp's minor_faults_per_sample): in a test
    // host, earlier large frees have already raised glibc's dynamic thresholds, so a fault count here cannot tell.
    [TestMethod]
    public void GlibcAcceptsTheThresholds()
    {
        if (NativeHeap.ReasonToKeepDefaults(Environment.GetEnvironmentVariable) is { } reason)
            Assert.Inconclusive("this process keeps glibc's malloc defaults: " + reason);
        TorchRuntime.EnsureLoaded();
        Assert.IsTrue(NativeHeap.IsTuned, "mallopt refused M_MMAP_THRESHOLD or M_TRIM_THRESHOLD");
    }

    [TestMethod]
    public void TheApplicationsOwnMallocSettingsWin()
    {
        Dictionary<string, string> none = [];
        string? Lookup(Dictionary<string, string> variables, string name) => variables.GetValueOrDefault(name);
        if (OperatingSystem.IsLinux())
            Assert.IsNull(NativeHeap.ReasonToKeepDefaults(name => Lookup(none, name)));
        foreach (var (name, value) in new[]
        {
            ("VAE_MLNET_MALLOC", "default"), ("MALLOC_TRIM_THRESHOLD_", "131072"), ("MALLOC_MMAP_THRESHOLD_", "65536"),
            ("GLIBC_TUNABLES", "glibc.malloc.trim_threshold=0"),
        })
        {
            var set = new Dictionary<string, string> { [name] = value };
            Assert.IsNotNull(NativeHeap.ReasonToKeepDefaults(n => Lookup(set, n)), name);
        }
        var unrelated = new Dictionary<string, string> { ["GLIBC_TUNABLES"] = "glibc.pthread.rseq=0", ["VAE_MLNET_MALLOC"] = "tuned" };
        if (OperatingSystem.IsLinux())
            Assert.IsNull(NativeHeap.ReasonToKeepDefaults(n => Lookup(unrelated, n)));
    }
}
