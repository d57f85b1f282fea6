using TorchSharp;
using TorchSharp.Modules;
using Vae.MLNet.Acceleration.Optimizer;
using Vae.MLNet.Backend;
using static TorchSharp.torch;

namespace Vae.MLNet.Tests.Unit.Acceleration;

/// <summary>
/// The two Adam steps the doors use (the one-pass managed update and the Scalar-safe libtorch one) against TorchSharp's
/// own <c>optim.Adam</c>, which they replace.
/// </summary>
[TestClass]
public sealed class AdamStepTests
{
    private static Vae.MLNet.Acceleration.IAdamStep Create(string kind, Adam adam, Parameter[] parameters, double learningRate) =>
        kind == "fused" ? FusedAdamStep.TryCreate(adam, parameters, learningRate)! : new LibtorchAdamStep(adam, parameters, learningRate);

    [TestMethod]
    [DataRow("fused")]
    [DataRow("libtorch")]
    public void FiveStepsMatchTorchSharpsAdamInWeightsAndMoments(string kind)
    {
        // 13 and 70,001 elements: the scalar tail after the vectors, and a parameter split into several work items.
        using var torchSide = new Parameters(seed: 3, 13, 70_001);
        using var fusedSide = new Parameters(seed: 3, 13, 70_001);
        using var reference = optim.Adam(torchSide.All, lr: 0.01);
        using var adam = optim.Adam(fusedSide.All, lr: 0.01);
        var fused = Create(kind, adam, fusedSide.All, 0.01);
        Assert.IsNotNull(fused);
        for (int step = 1; step <= 5; step++)
        {
            torchSide.SetGradients(step);
            fusedSide.SetGradients(step);
            reference.step();
            fused.Step();
        }
        for (int i = 0; i < torchSide.All.Length; i++)
        {
            // Weights move by ~lr a step and the moments mix gradients of ~1 that cancel: rounding is measured against those scales.
            AssertClose(torchSide.All[i], fusedSide.All[i], 1e-6f, $"parameter {i}", floor: 1e-7f);
            var expected = (Adam.State)reference.state_dict().State[i];
            var actual = (Adam.State)adam.state_dict().State[i];
            Assert.AreEqual(expected.step, actual.step);
            AssertClose(expected.exp_avg, actual.exp_avg, 1e-6f, $"m of parameter {i}", floor: 1e-7f);
            AssertClose(expected.exp_avg_sq, actual.exp_avg_sq, 1e-6f, $"v of parameter {i}", floor: 1e-7f);
        }
    }

    [TestMethod]
    [DataRow("fused")]
    [DataRow("libtorch")]
    public void AParameterWithoutAGradientIsLeftAlone(string kind)
    {
        using var side = new Parameters(seed: 7, 9, 9);
        using var adam = optim.Adam(side.All, lr: 0.1);
        var fused = Create(kind, adam, side.All, 0.1);
        var before = TensorCopy.ToArray(side.All[1]);
        using (no_grad()) side.All[0].grad = ones(9);
        fused.Step();
        CollectionAssert.AreEqual(before, TensorCopy.ToArray(side.All[1]));
        Assert.AreEqual(0L, ((Adam.State)adam.state_dict().State[1]).step);
        Assert.AreEqual(1L, ((Adam.State)adam.state_dict().State[0]).step);
    }

    private static void AssertClose(Tensor expected, Tensor actual, float relative, string what, float floor)
    {
        var e = TensorCopy.ToArray(expected);
        var a = TensorCopy.ToArray(actual);
        for (int i = 0; i < e.Length; i++)
            Assert.IsTrue(Math.Abs(e[i] - a[i]) <= relative * Math.Abs(e[i]) + floor, $"{what}, element {i}: {e[i]} vs {a[i]}");
    }

    /// <summary>Parameters of the given sizes drawn from a seed, with gradients that change from step to step.</summary>
    private sealed class Parameters : IDisposable
    {
        private readonly int _seed;

        public Parameters(int seed, params int[] sizes)
        {
            _seed = seed;
            var generator = new Generator((ulong)seed);
            All = sizes.Select(size => new Parameter(randn([size], generator: generator))).ToArray();
        }

        public Parameter[] All { get; }

        public void SetGradients(int step)
        {
            var generator = new Generator((ulong)(_seed * 100 + step));
            using var noGrad = no_grad();
            foreach (var p in All) p.grad = randn(p.shape, generator: generator) * (step % 2 == 0 ? 0.5 : 2.0);
        }

        public void Dispose()
        {
            foreach (var p in All) p.Dispose();
        }
    }
}
