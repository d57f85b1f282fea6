using Vae.MLNet.Torch;

namespace Vae.MLNet.Tests.Torch;

[TestClass]
public sealed class TensorMathTests
{
    private static torch.Tensor T(params double[] values) => torch.tensor(values);
    private static torch.Tensor M(double[] values, long rows, long columns) => torch.tensor(values, [rows, columns]);

    [TestMethod]
    public void ArithmeticBroadcastsAndTakesScalarsOnEitherSide()
    {
        using var scope = torch.NewDisposeScope();
        var a = M([1, 2, 3, 4, 5, 6], 2, 3);
        var row = T(10, 20, 30);
        TensorAssert.Close([11, 22, 33, 14, 25, 36], a + row);
        TensorAssert.Close([-9, -18, -27, -6, -15, -24], a - row);
        TensorAssert.Close([10, 40, 90, 40, 100, 180], a * row);
        TensorAssert.Close([0.1, 0.1, 0.1, 0.4, 0.25, 0.2], a / row);
        TensorAssert.Close([3, 4, 5, 6, 7, 8], a + 2);
        TensorAssert.Close([1, 0, -1, -2, -3, -4], 2 - a);
        TensorAssert.Close([2, 1, 2.0 / 3, 0.5, 0.4, 1.0 / 3], 2 / a);
        TensorAssert.Close([-1, -2, -3, -4, -5, -6], -a);
        TensorAssert.Close([1, 8, 27, 64, 125, 216], a.pow(3));
        TensorAssert.Close([21, 42, 63, 24, 45, 66], a.add(row, alpha: 2));
    }

    [TestMethod]
    public void MatmulMatchesTheHandProduct()
    {
        using var scope = torch.NewDisposeScope();
        var a = M([1, 2, 3, 4, 5, 6], 2, 3);
        var b = M([7, 8, 9, 10, 11, 12], 3, 2);
        // [1 2 3; 4 5 6] x [7 8; 9 10; 11 12] = [58 64; 139 154]
        TensorAssert.Close([58, 64, 139, 154], a.matmul(b));
        TensorAssert.Close([58, 64, 139, 154], a.mm(b));
        TensorAssert.Close([1 * 7 + 2 * 9 + 3 * 11, 1 * 8 + 2 * 10 + 3 * 12], T(1, 2, 3).matmul(b));
    }

    [TestMethod]
    public void UnaryFunctionsMatchTheirDefinitions()
    {
        using var scope = torch.NewDisposeScope();
        double[] x = [-2, -0.5, 0, 0.5, 3];
        var t = T(x);
        TensorAssert.Close(x.Select(Math.Exp).ToArray(), t.exp());
        TensorAssert.Close(x.Select(Math.Abs).ToArray(), t.abs());
        TensorAssert.Close(x.Select(v => 1 / (1 + Math.Exp(-v))).ToArray(), t.sigmoid());
        TensorAssert.Close(x.Select(v => Math.Max(v, 0)).ToArray(), t.relu());
        TensorAssert.Close(x.Select(Math.Tanh).ToArray(), t.tanh());
        TensorAssert.Close(x.Select(v => Math.Log(1 + Math.Exp(v))).ToArray(), t.softplus());
        TensorAssert.Close(x.Select(v => v < 0 ? 0.1 * v : v).ToArray(), torch.nn.functional.leaky_relu(t, 0.1));
        TensorAssert.Close(x.Select(v => Math.Clamp(v, -1, 1)).ToArray(), t.clamp(-1, 1));
        TensorAssert.Close(x.Select(v => Math.Max(v, 0.25)).ToArray(), t.clamp(min: 0.25));
        TensorAssert.Close(x.Select(v => Math.Min(v, 0.25)).ToArray(), t.clamp(max: 0.25));
        double[] positive = [0.25, 1, 4];
        TensorAssert.Close(positive.Select(v => Math.Log(v)).ToArray(), T(positive).log());
        TensorAssert.Close(positive.Select(Math.Sqrt).ToArray(), T(positive).sqrt());
        TensorAssert.Close(positive.Select(v => Math.Pow(v, 1.5)).ToArray(), T(positive).pow(1.5));
    }

    [TestMethod]
    public void SoftplusStaysFiniteForLargeInputs()
    {
        using var scope = torch.NewDisposeScope();
        TensorAssert.Close([1000, 0], T(1000, -1000).softplus(), 1e-9);
    }

    [TestMethod]
    public void ReductionsOverAllElementsAndAlongDimensions()
    {
        using var scope = torch.NewDisposeScope();
        var a = M([1, 5, 3, 4, 2, 6], 2, 3);
        Assert.AreEqual(21, a.sum().item<double>());
        Assert.AreEqual(3.5, a.mean().item<double>());
        Assert.AreEqual(6, a.max().item<double>());
        TensorAssert.Close([5, 7, 9], a.sum(0));
        TensorAssert.Close([9, 12], a.sum(1));
        TensorAssert.Shape([2, 1], a.sum(1, keepdim: true));
        TensorAssert.Close([3, 4], a.mean(1));
        TensorAssert.Shape([1, 3], a.mean(0, keepdim: true));
        var (values, indexes) = a.max(1);
        TensorAssert.Close([5, 6], values);
        CollectionAssert.AreEqual(new long[] { 1, 2 }, indexes.data<long>().ToArray());
        TensorAssert.Shape([2, 1], a.max(1, keepdim: true).values);
        CollectionAssert.AreEqual(new long[] { 1, 2 }, a.argmax(1).data<long>().ToArray());
        TensorAssert.Close([1, 2], a.min(1).values);
        // logsumexp of [1, 5, 3] = 5 + log(e^-4 + 1 + e^-2)
        double expected0 = 5 + Math.Log(Math.Exp(-4) + 1 + Math.Exp(-2));
        double expected1 = 6 + Math.Log(Math.Exp(-2) + Math.Exp(-4) + 1);
        TensorAssert.Close([expected0, expected1], a.logsumexp(1));
        TensorAssert.Close([1000 + Math.Log(2)], T(1000, 1000).logsumexp(0).unsqueeze(0), 1e-12);
    }

    [TestMethod]
    public void ShapeOperationsMoveTheRightElements()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.arange(0, 6).to(torch.ScalarType.Float64);
        var m = a.view(2, 3);
        TensorAssert.Shape([2, 3], m);
        TensorAssert.Shape([3, 2], a.reshape(3, -1));
        TensorAssert.Shape([6], m.flatten());
        TensorAssert.Shape([1, 2, 3], m.unsqueeze(0));
        TensorAssert.Shape([2, 3], m.unsqueeze(1).squeeze());
        TensorAssert.Shape([2, 3], m.unsqueeze(2).squeeze(2));
        TensorAssert.Shape([2, 1, 3], m.unflatten(1, 1, 3));
        TensorAssert.Close([0, 3, 1, 4, 2, 5], m.t().contiguous());
        TensorAssert.Close([0, 3, 1, 4, 2, 5], m.transpose(0, 1).contiguous());
        TensorAssert.Close([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5], torch.cat([m, m], 0));
        TensorAssert.Shape([2, 6], torch.cat([m, m], 1));
        TensorAssert.Shape([2, 2, 3], torch.stack([m, m]));
        TensorAssert.Close([1, 2, 4, 5], m.slice(1, 1, 3));
        TensorAssert.Close([0, 2, 3, 5], m.slice(1, 0, 3, 2));
        TensorAssert.Close([3, 4, 5], m.narrow(0, 1, 1).flatten());
        TensorAssert.Close([2, 0, 5, 3], m.index_select(1, torch.tensor(new long[] { 2, 0 })));
        TensorAssert.Close([1, 4], m.select(1, 1));
        TensorAssert.Close([0, 1, 2, 0, 1, 2], torch.arange(0, 3).to(torch.ScalarType.Float64).repeat(2));
    }

    [TestMethod]
    public void ComparisonsWhereAndConversions()
    {
        using var scope = torch.NewDisposeScope();
        var a = T(1, 2, 3);
        CollectionAssert.AreEqual(new[] { false, true, true }, a.gt(1.5).data<bool>().ToArray());
        CollectionAssert.AreEqual(new[] { true, false, false }, a.eq(T(1, 0, 0)).data<bool>().ToArray());
        TensorAssert.Close([1, 0, 3], torch.where(a.ne(2), a, torch.zeros_like(a)));
        CollectionAssert.AreEqual(new[] { false, true, false }, T(1, double.NaN, double.PositiveInfinity).isnan().data<bool>().ToArray());
        var f = a.to(torch.ScalarType.Float32);
        Assert.AreEqual(torch.ScalarType.Float32, f.dtype);
        Assert.AreEqual(2, f[1].item<int>());
        Assert.AreEqual(3L, torch.tensor(new long[] { 3 }).item<long>());
    }

    [TestMethod]
    public void InPlaceOperationsChangeTheTensorItself()
    {
        using var scope = torch.NewDisposeScope();
        var a = T(1, 2, 3);
        a.add_(1).mul_(2);
        TensorAssert.Close([4, 6, 8], a);
        a.sub_(T(1, 1, 1)).div_(3);
        TensorAssert.Close([1, 5.0 / 3, 7.0 / 3], a);
        a.fill_(7);
        TensorAssert.Close([7, 7, 7], a);
        a.copy_(T(9, 8, 7));
        TensorAssert.Close([9, 8, 7], a);
        a.zero_();
        TensorAssert.Close([0, 0, 0], a);
        a.uniform_(2, 3);
        Assert.IsTrue(a.data<double>().ToArray().All(v => v is >= 2 and < 3));
    }

    [TestMethod]
    public void SoftmaxAndLogSoftmaxAgree()
    {
        using var scope = torch.NewDisposeScope();
        var x = M([1, 2, 3, 0, 0, 0], 2, 3);
        double z = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        TensorAssert.Close([Math.Exp(1) / z, Math.Exp(2) / z, Math.Exp(3) / z, 1.0 / 3, 1.0 / 3, 1.0 / 3], x.softmax(1));
        TensorAssert.Close(x.softmax(1).log().data<double>().ToArray(), x.log_softmax(1));
    }
}
