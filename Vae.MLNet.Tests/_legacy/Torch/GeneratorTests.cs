using Vae.MLNet.Torch;

namespace Vae.MLNet.Tests.Torch;

[TestClass]
public sealed class GeneratorTests
{
    private static float[] Draws(torch.Generator generator)
    {
        using var scope = torch.NewDisposeScope();
        using (torch.random.use(generator))
        {
            var a = torch.randn(5);
            var b = torch.rand_like(a);
            var c = torch.empty(5).uniform_(-1, 1);
            var d = torch.nn.functional.dropout(torch.ones(5), 0.5);
            return torch.cat([a, b, c, d]).data<float>().ToArray();
        }
    }

    [TestMethod]
    public void AThreadGeneratorMakesDrawsReproducibleWhateverOtherThreadsDo()
    {
        float[] expected;
        using (var g = new torch.Generator(42)) expected = Draws(g);
        using var stop = new CancellationTokenSource();
        var noise = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
                using (torch.NewDisposeScope()) torch.randn(100);
        });
        try
        {
            for (int i = 0; i < 20; i++)
                using (var g = new torch.Generator(42)) CollectionAssert.AreEqual(expected, Draws(g));
        }
        finally
        {
            stop.Cancel();
            noise.Wait();
        }
    }

    [TestMethod]
    public void StateRoundTripsAndTheScopeRestoresTheGlobalGenerator()
    {
        using var g = new torch.Generator(7);
        _ = Draws(g);
        byte[] state = g.get_state();
        float[] next = Draws(g);
        g.set_state(state);
        CollectionAssert.AreEqual(next, Draws(g));

        torch.manual_seed(3);
        using var scope = torch.NewDisposeScope();
        var globalFirst = torch.randn(3).data<float>().ToArray();
        torch.manual_seed(3);
        using (torch.random.use(g)) torch.randn(3);
        CollectionAssert.AreEqual(globalFirst, torch.randn(3).data<float>().ToArray(), "drawing from g left the global stream untouched");
    }
}
