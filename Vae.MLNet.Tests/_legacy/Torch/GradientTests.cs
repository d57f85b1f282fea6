using Vae.MLNet.Torch;
using F = Vae.MLNet.Torch.torch.nn.functional;

namespace Vae.MLNet.Tests.Torch;

/// <summary>Gradients from backward() against central finite differences, in double precision.</summary>
[TestClass]
public sealed class GradientTests
{
    private static void CheckGradient(Func<torch.Tensor, torch.Tensor> f, double[] x, long[] shape, double tolerance = 1e-6)
    {
        using var scope = torch.NewDisposeScope();
        var input = torch.tensor(x, shape, requires_grad: true);
        f(input).backward();
        double[] analytic = input.grad!.data<double>().ToArray();

        const double h = 1e-6;
        var numeric = new double[x.Length];
        using (torch.no_grad())
        {
            for (int i = 0; i < x.Length; i++)
            {
                double[] plus = (double[])x.Clone(), minus = (double[])x.Clone();
                plus[i] += h;
                minus[i] -= h;
                numeric[i] = (f(torch.tensor(plus, shape)).item<double>() - f(torch.tensor(minus, shape)).item<double>()) / (2 * h);
            }
        }
        TensorAssert.Close(numeric, analytic, tolerance, "gradient");
    }

    private static readonly double[] X = [0.3, -1.2, 0.8, 2.0, -0.4, 0.1];

    [TestMethod]
    public void ElementwiseChain() => CheckGradient(x => (x.sigmoid() * x.pow(2) + x.tanh().exp() - x.softplus()).sum(), X, [6]);

    [TestMethod]
    public void QuotientsLogsAndSquareRoots() => CheckGradient(x => ((x.square() + 1).log() / (x.abs() + 2).sqrt()).mean(), X, [6]);

    [TestMethod]
    public void MatmulAndReductions()
    {
        var w = torch.tensor(new double[] { 0.5, -1, 2, 0.25, 1.5, -0.75 }, [3, 2]);
        CheckGradient(x => x.matmul(w).relu().sum(1).square().sum(), X, [2, 3]);
        w.Dispose();
    }

    [TestMethod]
    public void LogSumExpAndLogSoftmax() => CheckGradient(x => x.logsumexp(1).sum() + x.log_softmax(1).select(1, 0).sum(), X, [2, 3]);

    [TestMethod]
    public void LossesFromLogits()
    {
        var target = torch.tensor(new double[] { 1, 0, 0.5, 0.2, 1, 0 }, [6]);
        CheckGradient(x => F.binary_cross_entropy_with_logits(x, target, reduction: Reduction.Sum), X, [6]);
        CheckGradient(x => F.binary_cross_entropy(x.sigmoid(), target), X, [6]);
        CheckGradient(x => F.mse_loss(x, target), X, [6]);
        var classes = torch.tensor(new long[] { 2, 0 });
        CheckGradient(x => F.cross_entropy(x, classes), X, [2, 3]);
        target.Dispose();
        classes.Dispose();
    }

    [TestMethod]
    public void ShapeOperationsPassGradientsThrough() =>
        CheckGradient(x => torch.cat([x.slice(1, 0, 2), x.narrow(1, 2, 1) * 3], 1).t().reshape(6).pow(3).sum(), X, [2, 3]);

    [TestMethod]
    public void LinearAndConvolutionLayers()
    {
        torch.manual_seed(1);
        using var linear = torch.nn.Linear(3, 2);
        linear.to(torch.ScalarType.Float64);
        CheckGradient(x => linear.forward(x).tanh().sum(), X, [2, 3]);

        using var conv = torch.nn.Conv2d(1, 2, kernelSize: 2);
        conv.to(torch.ScalarType.Float64);
        double[] image = Enumerable.Range(0, 9).Select(i => Math.Sin(i)).ToArray();
        CheckGradient(x => conv.forward(x).square().sum(), image, [1, 1, 3, 3]);

        using var deconv = torch.nn.ConvTranspose2d(1, 1, kernelSize: 2, stride: 2);
        deconv.to(torch.ScalarType.Float64);
        CheckGradient(x => deconv.forward(x).sigmoid().sum(), image, [1, 1, 3, 3]);
    }

    [TestMethod]
    public void NoGradRecordsNothing()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones([2], requires_grad: true);
        using (torch.no_grad())
        {
            Assert.IsFalse(torch.is_grad_enabled());
            Assert.IsFalse((x * 2).requires_grad);
        }
        Assert.IsTrue(torch.is_grad_enabled());
        Assert.IsTrue((x * 2).requires_grad);
        Assert.IsNull(x.grad);
        (x * 3).sum().backward();
        TensorAssert.Close([3, 3], x.grad!);
        Assert.IsFalse(x.detach().requires_grad);
    }

    [TestMethod]
    public void BackwardIntoChosenInputsLeavesOtherLeavesAlone()
    {
        using var scope = torch.NewDisposeScope();
        var w = torch.tensor(new double[] { 2, 3 }, requires_grad: true);
        var x = torch.tensor(new double[] { 5, 7 }, requires_grad: true);
        (w * x).sum().backward([x]);
        TensorAssert.Close([2, 3], x.grad!);
        Assert.IsNull(w.grad);
    }

    [TestMethod]
    public void BackwardFromTwoThreadsAccumulatesBothGradients()
    {
        using var w = new Vae.MLNet.Torch.Modules.Parameter(torch.ones(64, 64));
        using var x1 = torch.randn(32, 64);
        using var x2 = torch.randn(32, 64);
        double expected;
        using (torch.NewDisposeScope())
            expected = (x1.sum(0) + x2.sum(0)).sum().item<float>() * 64;
        using var start = new Barrier(2);
        for (int round = 0; round < 200; round++)
        {
            w.clear_grad();
            var threads = new[] { x1, x2 }.Select(x => new Thread(() =>
            {
                using var scope = torch.NewDisposeScope();
                var loss = x.matmul(w).sum();
                start.SignalAndWait();
                loss.backward();
            })).ToArray();
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();
            using var g = w.grad!;
            Assert.AreEqual(expected, g.sum().item<float>(), 1e-2 * Math.Abs(expected) + 1e-2, $"round {round}: a gradient was lost");
        }
    }
}
