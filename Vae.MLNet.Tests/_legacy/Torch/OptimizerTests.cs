using Vae.MLNet.Torch;
using Vae.MLNet.Torch.Modules;

namespace Vae.MLNet.Tests.Torch;

[TestClass]
public sealed class OptimizerTests
{
    private static Parameter Param(params double[] values)
    {
        using var data = torch.tensor(values);
        return new Parameter(data);
    }

    private static void SetGradientOfSum(Parameter p, double[] coefficients)
    {
        using var scope = torch.NewDisposeScope();
        (p * torch.tensor(coefficients)).sum().backward();
    }

    [TestMethod]
    public void AdamsFirstStepsMatchTheHandComputedUpdate()
    {
        using var p = Param(1.0, -2.0);
        using var adam = torch.optim.Adam([p], lr: 0.1);
        double[] g = [0.5, -3];
        double[] m = new double[2], v = new double[2], expected = [1.0, -2.0];
        for (int t = 1; t <= 3; t++)
        {
            adam.zero_grad();
            SetGradientOfSum(p, g);
            adam.step();
            for (int i = 0; i < 2; i++)
            {
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                double mHat = m[i] / (1 - Math.Pow(0.9, t)), vHat = v[i] / (1 - Math.Pow(0.999, t));
                expected[i] -= 0.1 * mHat / (Math.Sqrt(vHat) + 1e-8);
            }
        }
        TensorAssert.Close(expected, p, 1e-9);
    }

    [TestMethod]
    public void SgdWithMomentumMatchesTheHandComputedUpdate()
    {
        using var p = Param(1.0);
        using var sgd = torch.optim.SGD([p], lr: 0.1, momentum: 0.9);
        // Constant gradient 2: buffers 2, 3.8, 5.42 → x = 1 - 0.1 * (2 + 3.8 + 5.42)
        for (int i = 0; i < 3; i++)
        {
            sgd.zero_grad();
            SetGradientOfSum(p, [2]);
            sgd.step();
        }
        TensorAssert.Close([1 - 0.1 * (2 + 3.8 + 5.42)], p, 1e-12);
    }

    [TestMethod]
    public void AdamWDecaysWeightsDecoupledFromTheGradient()
    {
        using var p = Param(2.0);
        using var adamw = torch.optim.AdamW([p], lr: 0.1, weight_decay: 0.5);
        SetGradientOfSum(p, [0]);
        adamw.step();
        // Zero gradient: the Adam part is 0, the decay multiplies by 1 - lr * wd.
        TensorAssert.Close([2 * (1 - 0.1 * 0.5)], p, 1e-12);
    }

    [TestMethod]
    public void SavedStateResumesTheExactTrajectory()
    {
        double[] Run(bool interrupt)
        {
            using var p = Param(1.0, 2.0, 3.0);
            var adam = torch.optim.Adam([p], lr: 0.05);
            for (int step = 0; step < 10; step++)
            {
                if (interrupt && step == 5)
                {
                    byte[] state = adam.state_dict();
                    adam.Dispose();
                    adam = torch.optim.Adam([p], lr: 0.05);
                    adam.load_state_dict(state);
                }
                adam.zero_grad();
                using (var scope = torch.NewDisposeScope()) p.square().sum().backward();
                adam.step();
            }
            adam.Dispose();
            return p.data<double>().ToArray();
        }
        CollectionAssert.AreEqual(Run(false), Run(true));
    }

    [TestMethod]
    public void LearningRateCanBeReadAndChanged()
    {
        using var p = Param(1.0);
        using var adam = torch.optim.Adam([p], lr: 0.01);
        Assert.AreEqual(0.01, adam.LearningRate, 1e-15);
        adam.LearningRate = 0.5;
        Assert.AreEqual(0.5, adam.LearningRate, 1e-15);
    }

    [TestMethod]
    public void InvalidHyperParametersAreRejected()
    {
        using var p = Param(1.0);
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => torch.optim.Adam([p], lr: -1));
        Assert.ThrowsException<ArgumentOutOfRangeException>(() => torch.optim.Adam([p], beta1: 1));
        Assert.ThrowsException<ArgumentException>(() => torch.optim.SGD([p], lr: 0.1, nesterov: true));
        Assert.ThrowsException<ArgumentException>(() => torch.optim.Adam(Array.Empty<Parameter>()));
        using var adam = torch.optim.Adam([p]);
        Assert.ThrowsException<TorchException>(() => adam.load_state_dict(new byte[] { 1, 2, 3 }));
    }

    [TestMethod]
    public void TheIssueExampleLearnsTheSumOfItsInputs()
    {
        torch.manual_seed(0);
        using var net = torch.nn.Sequential(torch.nn.Linear(3, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1));
        using var opt = torch.optim.Adam(net.parameters(), lr: 0.01);
        using var x = torch.randn(256, 3);
        using var y = x.sum(1, keepdim: true);
        var losses = new List<float>();
        for (int step = 0; step < 500; step++)
        {
            using var scope = torch.NewDisposeScope();
            var loss = torch.nn.functional.mse_loss(net.forward(x), y);
            opt.zero_grad();
            loss.backward();
            opt.step();
            if (step % 100 == 0) losses.Add(loss.item<float>());
        }
        for (int i = 1; i < losses.Count; i++) Assert.IsTrue(losses[i] < losses[i - 1], $"loss rose: {string.Join(", ", losses)}");
        Assert.IsTrue(losses[^1] < 0.05 * losses[0], $"losses: {string.Join(", ", losses)}");
    }

    [TestMethod]
    public void ClipGradNormScalesTheJointNorm()
    {
        using var a = Param(1.0, 1.0);
        using var b = Param(1.0);
        SetGradientOfSum(a, [3, 0]);
        SetGradientOfSum(b, [4]);
        double norm = torch.nn.utils.clip_grad_norm_([a, b], max_norm: 1);
        Assert.AreEqual(5, norm, 1e-9);
        TensorAssert.Close([0.6, 0], a.grad!, 1e-6);
        TensorAssert.Close([0.8], b.grad!, 1e-6);
        Assert.AreEqual(1, torch.nn.utils.clip_grad_norm_([a, b], max_norm: 10), 1e-6, "below the bound nothing changes");
        Assert.ThrowsException<TorchException>(() => torch.nn.utils.clip_grad_norm_([a], max_norm: 0));
    }

    [TestMethod]
    public void TheFusedAdamFollowsLibtorchsAdamAndAdamW()
    {
        foreach (var (decay, decoupled) in new[] { (0.0, false), (0.1, false), (0.05, true) })
        {
            torch.manual_seed(4);
            using var start = torch.randn([50_000], torch.ScalarType.Float32);
            using var a = new Parameter(start.clone());
            using var b = new Parameter(start.clone());
            using var plain = decoupled ? torch.optim.AdamW([a], lr: 0.01, weight_decay: decay) : torch.optim.Adam([a], lr: 0.01, weight_decay: decay);
            using var fused = decoupled ? torch.optim.AdamW([b], lr: 0.01, weight_decay: decay, fused: true) : torch.optim.Adam([b], lr: 0.01, weight_decay: decay, fused: true);
            fused.Threads = 3;
            for (int step = 0; step < 5; step++)
            {
                foreach (var (p, opt) in new[] { (a, (torch.optim.Optimizer)plain), (b, fused) })
                {
                    opt.zero_grad();
                    using (var scope = torch.NewDisposeScope()) (p.square() * p).sum().backward();
                    opt.step();
                }
            }
            using var difference = (a - b).abs().max();
            Assert.IsTrue(difference.item<float>() < 1e-6, $"decay {decay}, decoupled {decoupled}: fused and libtorch Adam differ by {difference.item<float>()}");
        }
    }

    [TestMethod]
    public void TheFusedAdamGivesTheSameBitsOnAnyThreadCountAndResumesFromItsState()
    {
        float[] Run(int threads, bool interrupt)
        {
            torch.manual_seed(5);
            using var start = torch.randn([70_000], torch.ScalarType.Float32);
            using var p = new Parameter(start);
            var adam = torch.optim.Adam([p], lr: 0.02, fused: true);
            adam.Threads = threads;
            for (int step = 0; step < 6; step++)
            {
                if (interrupt && step == 3)
                {
                    var state = adam.state_dict();
                    adam.Dispose();
                    adam = torch.optim.Adam([p], lr: 0.02, fused: true);
                    adam.load_state_dict(state);
                }
                adam.zero_grad();
                using (var scope = torch.NewDisposeScope()) p.sin().sum().backward();
                adam.step();
            }
            adam.Dispose();
            return p.data<float>().ToArray();
        }
        var reference = Run(1, false);
        CollectionAssert.AreEqual(reference, Run(4, false));
        CollectionAssert.AreEqual(reference, Run(1, true));
        using var q = Param(1.0);
        Assert.ThrowsException<ArgumentException>(() => torch.optim.Adam([q], amsgrad: true, fused: true));
    }
}
