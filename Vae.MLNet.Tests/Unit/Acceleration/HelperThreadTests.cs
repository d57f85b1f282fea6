using Vae.MLNet.Acceleration.Gemm;

namespace Vae.MLNet.Tests.Unit.Acceleration;

/// <summary>
/// The packed kernels' helper thread lives only while a Fit that uses it runs: started on the first entry, shared by
/// overlapping ones, stopped and joined when the last leaves. Exercised directly, so no AVX-512 is needed.
/// </summary>
[TestClass]
[DoNotParallelize] // the helper is process-wide
public sealed class HelperThreadTests
{
    [TestMethod]
    public void TheHelperRunsJobsOnlyWhileAFitHoldsItAndIsJoinedWhenTheLastLeaves()
    {
        Assert.IsNull(HelperThread.Current, "no helper before any Fit");
        Assert.IsFalse(HelperThread.TryAcquire(), "outside a Fit the work stays on the calling thread");

        Thread helper;
        var first = HelperThread.Enter();
        var second = HelperThread.Enter();
        try
        {
            helper = HelperThread.Current!;
            Assert.IsTrue(helper.IsAlive);
            Assert.AreEqual(HelperThread.Name, helper.Name);
            if (OperatingSystem.IsLinux()) Assert.Contains("Vae.MLNet helper", ThreadNamesOfThisProcess(), "the OS sees the thread by its name");
            Assert.AreEqual("Vae.MLNet helper", RunOnHelper(), "the job ran on the helper thread");
            first.Dispose();
            Assert.AreSame(helper, HelperThread.Current, "an overlapping Fit keeps the same helper");
            Assert.AreEqual("Vae.MLNet helper", RunOnHelper(), "still serving the remaining Fit");
        }
        finally
        {
            first.Dispose();
            second.Dispose();
        }

        Assert.IsNull(HelperThread.Current);
        Assert.IsFalse(helper.IsAlive, "the helper thread has exited after the last Fit left");
        Assert.IsFalse(HelperThread.TryAcquire());
        Assert.IsTrue(NoHelperInProcWithin(TimeSpan.FromSeconds(5)), "no thread of that name is left");

        using (HelperThread.Enter())
        {
            Assert.AreNotSame(helper, HelperThread.Current, "a later Fit starts a fresh helper");
            Assert.AreEqual("Vae.MLNet helper", RunOnHelper());
        }
        Assert.IsNull(HelperThread.Current);
    }

    [TestMethod]
    public void AJobsFailureReachesTheCallerAndTheHelperGoesOn()
    {
        using var lease = HelperThread.Enter();
        Assert.IsTrue(HelperThread.TryAcquire());
        try
        {
            HelperThread.Run(new Job(() => throw new InvalidDataException("the job's own failure")));
            var error = Assert.Throws<InvalidOperationException>(HelperThread.Wait);
            Assert.IsInstanceOfType<InvalidDataException>(error.InnerException);
        }
        finally
        {
            HelperThread.Release();
        }
        Assert.AreEqual("Vae.MLNet helper", RunOnHelper());
    }

    private static string? RunOnHelper()
    {
        Assert.IsTrue(HelperThread.TryAcquire());
        try
        {
            string? name = null;
            HelperThread.Run(new Job(() => name = Thread.CurrentThread.Name));
            HelperThread.Wait();
            return name;
        }
        finally
        {
            HelperThread.Release();
        }
    }

    // Join returns once the managed thread is done; the OS thread it ran on ends a moment later.
    private static bool NoHelperInProcWithin(TimeSpan wait)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (ThreadNamesOfThisProcess().Contains("Vae.MLNet helper"))
        {
            if (clock.Elapsed > wait) return false;
            Thread.Sleep(10);
        }
        return true;
    }

    // Linux names threads in /proc (the first 15 bytes of the name); elsewhere only the helper's own object can say.
    private static HashSet<string> ThreadNamesOfThisProcess()
    {
        var names = new HashSet<string>();
        if (!OperatingSystem.IsLinux()) return names;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                string name = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
                names.Add(name.StartsWith("Vae.MLNet helpe", StringComparison.Ordinal) ? "Vae.MLNet helper" : name);
            }
            catch (IOException)
            {
                // The thread ended while we looked.
            }
        }
        return names;
    }

    private sealed class Job(Action action) : HelperThread.IJob
    {
        public void Execute() => action();
    }
}
