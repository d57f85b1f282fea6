using System.Diagnostics;
using Vae.MLNet.Torch;

namespace Vae.MLNet.Tests.Torch;

[TestClass]
[DoNotParallelize]
public sealed class NativeMemoryTests
{
    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }

    [TestMethod]
    public void TenThousandTrainingStepsWithAScopePerStepKeepResidentMemoryFlat()
    {
        torch.manual_seed(0);
        using var net = torch.nn.Sequential(torch.nn.Linear(32, 64), torch.nn.ReLU(), torch.nn.Linear(64, 1));
        using var opt = torch.optim.Adam(net.parameters(), lr: 1e-3);
        using var x = torch.randn(64, 32);
        using var y = torch.randn(64, 1);
        void Steps(int count)
        {
            for (int step = 0; step < count; step++)
            {
                using var scope = torch.NewDisposeScope();
                var loss = torch.nn.functional.mse_loss(net.forward(x), y);
                opt.zero_grad();
                loss.backward();
                opt.step();
            }
        }
        Steps(1_000); // warm up allocator caches and the JIT
        long before = ResidentBytes();
        Steps(10_000);
        long growth = ResidentBytes() - before;
        // Each step allocates ~10 tensors of up to 16 KB: a leak of one tensor per step would add > 40 MB.
        Assert.IsTrue(growth < 16 * 1024 * 1024, $"resident memory grew by {growth / 1024} KB over 10,000 steps");
    }
}
