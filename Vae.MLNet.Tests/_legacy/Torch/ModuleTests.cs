using Vae.MLNet.Torch;
using Vae.MLNet.Torch.Modules;

namespace Vae.MLNet.Tests.Torch;

[TestClass]
public sealed class ModuleTests
{
    private sealed class TwoLayer : torch.nn.Module<torch.Tensor, torch.Tensor>
    {
        private readonly Linear _hidden = torch.nn.Linear(4, 8);
        private readonly Linear _output = torch.nn.Linear(8, 2);

        public TwoLayer() : base(nameof(TwoLayer)) => RegisterComponents();

        public override torch.Tensor forward(torch.Tensor input) => _output.forward(_hidden.forward(input).relu());
    }

    [TestMethod]
    public void LinearIsInitializedWithinPyTorchsBoundAndComputesXWtPlusB()
    {
        torch.manual_seed(0);
        using var layer = torch.nn.Linear(100, 50);
        double bound = 1 / Math.Sqrt(100);
        float[] w = layer.weight.data<float>().ToArray();
        Assert.IsTrue(w.All(v => Math.Abs(v) <= bound));
        Assert.AreEqual(bound * bound / 3, w.Select(v => (double)v * v).Average(), 0.1 * bound * bound / 3, "variance of U(-b, b) is b²/3");
        Assert.IsTrue(layer.bias!.data<float>().ToArray().All(v => Math.Abs(v) <= bound));

        using var scope = torch.NewDisposeScope();
        var x = torch.randn(3, 100);
        var expected = x.matmul(layer.weight.t()) + layer.bias;
        TensorAssert.CloseFloats(expected.data<float>().ToArray(), layer.forward(x));
    }

    [TestMethod]
    public void RegisteredComponentsGiveNamedParametersAndStateDict()
    {
        using var net = new TwoLayer();
        CollectionAssert.AreEqual(new[] { "hidden.weight", "hidden.bias", "output.weight", "output.bias" },
            net.named_parameters().Select(p => p.name).ToArray());
        Assert.AreEqual(4 * 8 + 8 + 8 * 2 + 2, net.parameters().Sum(p => p.numel()));
        Assert.AreEqual(4, net.state_dict().Count);
        Assert.IsTrue(net.parameters().All(p => p.requires_grad));

        using var seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3), torch.nn.ReLU());
        CollectionAssert.AreEquivalent(new[] { "0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked" },
            seq.state_dict().Keys.ToArray());
    }

    [TestMethod]
    public void StateSavedToAStreamLoadsIntoAFreshModule()
    {
        torch.manual_seed(1);
        using var a = new TwoLayer();
        torch.manual_seed(2);
        using var b = new TwoLayer();
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(5, 4);
        Assert.AreNotEqual(a.forward(x).sum().item<float>(), b.forward(x).sum().item<float>());

        using var stream = new MemoryStream();
        a.save(stream);
        stream.Position = 0;
        var weightBefore = b.named_parameters().First().parameter;
        b.load(stream);
        Assert.AreSame(weightBefore, b.named_parameters().First().parameter, "loading keeps parameter identity");
        CollectionAssert.AreEqual(a.forward(x).data<float>().ToArray(), b.forward(x).data<float>().ToArray());
    }

    [TestMethod]
    public void LoadStateDictRejectsMismatchedShapesAndNames()
    {
        using var small = torch.nn.Linear(2, 3);
        using var big = torch.nn.Linear(2, 4);
        var e = Assert.ThrowsException<ArgumentException>(() => small.load_state_dict(big.state_dict()));
        StringAssert.Contains(e.Message, "weight");
        StringAssert.Contains(e.Message, "[4, 2]");
        using var noBias = torch.nn.Linear(2, 3, hasBias: false);
        Assert.ThrowsException<ArgumentException>(() => noBias.load_state_dict(small.state_dict()));
        var (missing, unexpected) = noBias.load_state_dict(small.state_dict(), strict: false);
        Assert.AreEqual(0, missing.Count);
        CollectionAssert.AreEqual(new[] { "bias" }, unexpected.ToArray());
    }

    [TestMethod]
    public void CorruptStateFilesGiveInvalidData()
    {
        using var layer = torch.nn.Linear(2, 3);
        using var stream = new MemoryStream();
        layer.save(stream);
        byte[] bytes = stream.ToArray();
        Assert.ThrowsException<InvalidDataException>(() => layer.load(new MemoryStream(bytes[..(bytes.Length - 3)])));
        Assert.ThrowsException<InvalidDataException>(() => layer.load(new MemoryStream("nope"u8.ToArray())));
        byte[] huge = (byte[])bytes.Clone();
        // The first tensor's first dimension sits after magic(4) version(4) count(4) nameLength(4) name("bias"=4) dtype(4) ndim(4).
        BitConverter.GetBytes(long.MaxValue / 8).CopyTo(huge, 28);
        Assert.ThrowsException<InvalidDataException>(() => layer.load(new MemoryStream(huge)));
    }

    [TestMethod]
    public void TrainAndEvalSwitchDropoutAndBatchNorm()
    {
        using var scope = torch.NewDisposeScope();
        using var net = torch.nn.Sequential(torch.nn.Dropout(0.5), torch.nn.BatchNorm1d(2));
        var x = torch.tensor(new float[] { 1, 10, 3, 30, 5, 50, 7, 70 }, [4, 2]);
        net.train();
        Assert.IsTrue(net.modules().All(m => m.training));
        var trained = net.forward(x);
        Assert.AreEqual(0, trained.mean().item<float>(), 1e-5, "batch statistics centre the output");
        var bn = (BatchNorm1d)net[1];
        Assert.AreEqual(1L, bn.num_batches_tracked!.item<long>());
        Assert.AreNotEqual(0f, bn.running_mean!.sum().item<float>());

        net.eval();
        Assert.IsTrue(net.modules().All(m => !m.training));
        var a = net.forward(x).data<float>().ToArray();
        var b = net.forward(x).data<float>().ToArray();
        CollectionAssert.AreEqual(a, b, "no dropout and running statistics in eval mode");
        Assert.AreEqual(1L, bn.num_batches_tracked.item<long>());
    }

    [TestMethod]
    public void BatchNormNormalizesWithBiasedBatchVariance()
    {
        using var scope = torch.NewDisposeScope();
        using var bn = torch.nn.BatchNorm1d(1);
        var x = torch.tensor(new float[] { 1, 2, 3, 4 }, [4, 1]);
        // mean 2.5, biased variance 1.25
        double s = Math.Sqrt(1.25 + 1e-5);
        TensorAssert.CloseFloats(new[] { -1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s }.Select(v => (float)v).ToArray(), bn.forward(x));
        // running_var uses the unbiased variance 5/3: 0.9 * 1 + 0.1 * 5/3
        Assert.AreEqual(0.9 + 0.1 * 5 / 3.0, bn.running_var!.item<float>(), 1e-6);
        Assert.AreEqual(0.25, bn.running_mean!.item<float>(), 1e-6);
    }

    [TestMethod]
    public void ConvolutionStacksProduceTheExpectedShapes()
    {
        using var scope = torch.NewDisposeScope();
        using var encoder = torch.nn.Sequential(
            torch.nn.Conv2d(1, 32, kernelSize: 4, stride: 2, padding: 1), torch.nn.BatchNorm2d(32), torch.nn.LeakyReLU(0.2),
            torch.nn.Conv2d(32, 64, kernelSize: 4, stride: 2, padding: 1), torch.nn.ReLU(), torch.nn.Flatten());
        TensorAssert.Shape([8, 64 * 7 * 7], encoder.forward(torch.randn(8, 1, 28, 28)));
        using var decoder = torch.nn.Sequential(
            torch.nn.Linear(20, 64 * 7 * 7), torch.nn.Unflatten(1, [64, 7, 7]),
            torch.nn.ConvTranspose2d(64, 32, kernelSize: 4, stride: 2, padding: 1), torch.nn.Tanh(),
            torch.nn.ConvTranspose2d(32, 1, kernelSize: 4, stride: 2, padding: 1), torch.nn.Sigmoid());
        TensorAssert.Shape([8, 1, 28, 28], decoder.forward(torch.randn(8, 20)));
    }

    [TestMethod]
    public void ToDtypeConvertsParametersInPlace()
    {
        using var layer = torch.nn.Linear(2, 2);
        var weight = layer.weight;
        layer.to(torch.ScalarType.Float64);
        Assert.AreSame(weight, layer.weight);
        Assert.AreEqual(torch.ScalarType.Float64, layer.weight.dtype);
        Assert.IsTrue(layer.weight.requires_grad);
    }

    [TestMethod]
    public void ParametersOutliveTheScopeTheyWereCreatedIn()
    {
        Linear layer;
        using (torch.NewDisposeScope()) layer = torch.nn.Linear(2, 2);
        Assert.IsFalse(layer.weight.IsInvalid);
        layer.Dispose();
        Assert.IsTrue(layer.weight.IsInvalid);
    }
}
