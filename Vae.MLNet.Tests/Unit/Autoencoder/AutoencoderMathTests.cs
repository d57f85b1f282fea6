using TorchSharp;
using Vae.MLNet.Autoencoder;
using static TorchSharp.torch;

namespace Vae.MLNet.Tests.Unit.Autoencoder;

/// <summary>
/// The autoencoder's loss terms against values derived by hand and against autograd: the exact Jacobian norm of the
/// contractive penalty for every depth and latent activation, its gradient against finite differences, the sparsity
/// penalties and the reconstruction losses. In float64, so the tolerances are tight on any x86-64.
/// </summary>
[TestClass]
public sealed class AutoencoderMathTests
{
    private static AutoencoderNetwork Network(int[] hidden, AutoencoderLatentActivation activation, int input = 5, int latent = 3)
    {
        var spec = new AutoencoderNetworkSpec { Likelihood = VaeLikelihood.Gaussian, InputDimension = input, LatentDimension = latent, HiddenDimensions = hidden, LatentActivation = activation };
        var network = new AutoencoderNetwork(spec, new Generator(7));
        network.to(ScalarType.Float64);
        return network;
    }

    /// <summary>‖∂h/∂x‖²_F of each row from the full Jacobian, one autograd pass per code value.</summary>
    private static double[] AutogradJacobianNorms(AutoencoderNetwork network, Tensor x)
    {
        var input = x.clone().requires_grad_(true);
        var code = network.Encode(input);
        var norms = new double[x.size(0)];
        for (int row = 0; row < x.size(0); row++)
            for (int a = 0; a < code.size(1); a++)
            {
                var gradient = autograd.grad([code[row, a]], [input], retain_graph: true)[0];
                norms[row] += gradient.square().sum().ToDouble();
            }
        return norms;
    }

    [TestMethod]
    [DataRow(new int[0], AutoencoderLatentActivation.Identity)]
    [DataRow(new int[0], AutoencoderLatentActivation.Sigmoid)]
    [DataRow(new[] { 4 }, AutoencoderLatentActivation.Identity)]
    [DataRow(new[] { 4 }, AutoencoderLatentActivation.Sigmoid)]
    [DataRow(new[] { 6, 4 }, AutoencoderLatentActivation.Sigmoid)]
    [DataRow(new[] { 7, 6, 4 }, AutoencoderLatentActivation.Identity)]
    public void TheContractivePenaltyIsTheFrobeniusNormOfTheFullJacobian(int[] hidden, AutoencoderLatentActivation activation)
    {
        using var scope = NewDisposeScope();
        using var network = Network(hidden, activation);
        var x = randn(6, 5, ScalarType.Float64, generator: new Generator(3));
        var (_, norms) = network.Encode(x, withJacobian: true);
        var expected = AutogradJacobianNorms(network, x);
        var actual = norms!.data<double>().ToArray();
        for (int row = 0; row < expected.Length; row++)
            Assert.AreEqual(expected[row], actual[row], 1e-10 * Math.Max(1, expected[row]), $"row {row}");
        Assert.IsGreaterThan(1e-6, actual.Sum(), "the Jacobians are not all zero (a narrow ReLU stack may zero a row)");
    }

    [TestMethod]
    public void OneSigmoidLayerGivesRifaisClosedForm()
    {
        // h = σ(Wx + b): ‖J‖²_F = Σⱼ (hⱼ(1 − hⱼ))² ‖Wⱼ‖² (Rifai et al. 2011, eq. 5).
        using var scope = NewDisposeScope();
        using var network = Network([], AutoencoderLatentActivation.Sigmoid);
        var x = randn(4, 5, ScalarType.Float64, generator: new Generator(5));
        var (h, norms) = network.Encode(x, withJacobian: true);
        var rowNorms = network.FirstLayer.Weight.square().sum([1]);
        var expected = ((h * (1 - h)).square() * rowNorms).sum([1]);
        Assert.AreEqual(0, (norms! - expected).abs().max().ToDouble(), 1e-12);
    }

    [TestMethod]
    public void TheContractivePenaltysGradientMatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        using var network = Network([6, 4], AutoencoderLatentActivation.Sigmoid);
        var x = randn(5, 5, ScalarType.Float64, generator: new Generator(11));
        double Penalty() => network.Encode(x, withJacobian: true).JacobianNormSquared!.sum().ToDouble();
        network.zero_grad();
        network.Encode(x, withJacobian: true).JacobianNormSquared!.sum().backward();
        foreach (var (name, parameter) in network.named_parameters().Where(p => p.name.StartsWith("encoder") || p.name.StartsWith("latent")))
        {
            var flat = parameter.view(-1);
            var gradient = parameter.grad!.view(-1);
            foreach (long i in new long[] { 0, flat.numel() / 2, flat.numel() - 1 })
            {
                const double step = 1e-6;
                double original = flat[i].ToDouble();
                using (no_grad()) flat[i] = original + step;
                double up = Penalty();
                using (no_grad()) flat[i] = original - step;
                double down = Penalty();
                using (no_grad()) flat[i] = original;
                double numeric = (up - down) / (2 * step), analytic = gradient[i].ToDouble();
                Assert.AreEqual(numeric, analytic, 1e-6 * Math.Max(1, Math.Abs(numeric)), $"{name}[{i}]");
            }
        }
    }

    [TestMethod]
    public void SparsityPenaltiesAgreeWithTheirDefinitions()
    {
        using var scope = NewDisposeScope();
        var code = tensor(new[] { 0.1, -0.5, 0.3, 0.5 }, [2, 2]);
        CollectionAssert.AreEqual(new[] { 0.6, 0.8 }, AutoencoderObjective.L1PerRow(code).data<double>().ToArray());

        var activations = tensor(new[] { 0.1, 0.5, 0.3, 0.5 }, [2, 2]);
        double rho = 0.05;
        static double Kl(double p, double q) => p * Math.Log(p / q) + (1 - p) * Math.Log((1 - p) / (1 - q));
        Assert.AreEqual(Kl(rho, 0.2) + Kl(rho, 0.5), AutoencoderObjective.KlToTarget(activations, rho).ToDouble(), 1e-12);
        Assert.AreEqual(0, AutoencoderObjective.KlToTarget(full(3, 4, rho, ScalarType.Float64), rho).ToDouble(), 1e-12, "KL(ρ ‖ ρ) = 0");
        Assert.IsTrue(double.IsFinite(AutoencoderObjective.KlToTarget(zeros(3, 4, ScalarType.Float64), rho).ToDouble()), "dead units give a large but finite penalty");
    }

    [TestMethod]
    public void ReconstructionLossesAgreeWithTheirDefinitions()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0, 0.0, 0.25 }, [1, 3]);
        var output = tensor(new[] { 0.5, -1.0, 2.0 }, [1, 3]);
        Assert.AreEqual(0.25 + 1 + 3.0625, AutoencoderObjective.ReconstructionPerRow(output, x, VaeLikelihood.Gaussian).ToDouble(), 1e-12);
        static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
        double bce = 0;
        foreach (var (t, logit) in new[] { (1.0, 0.5), (0.0, -1.0), (0.25, 2.0) })
            bce -= t * Math.Log(Sigmoid(logit)) + (1 - t) * Math.Log(1 - Sigmoid(logit));
        Assert.AreEqual(bce, AutoencoderObjective.ReconstructionPerRow(output, x, VaeLikelihood.Bernoulli).ToDouble(), 1e-12);
    }
}
