using TorchSharp;
using Vae.MLNet.Backend;
using Vae.MLNet.Inference;
using Vae.MLNet.Networks;
using Vae.MLNet.Networks.Flows;
using Vae.MLNet.Training;
using static TorchSharp.torch;

namespace Vae.MLNet.Tests.Unit.Networks;

/// <summary>
/// Properties of the inverse-autoregressive flow on q(z|x) (VaeOptions.FlowSteps): its log-determinant against a
/// finite-difference Jacobian, its autoregressive structure, the identity at initialization (so a zero-initialized
/// flow leaves every bound of the plain VAE unchanged), and gradients that reach its weights.
/// </summary>
[TestClass]
public sealed class FlowTests
{
    private static VaeNetworkSpec Spec(int flowSteps, int latent = 3) => new()
    {
        Architecture = VaeArchitecture.Mlp, Likelihood = VaeLikelihood.Bernoulli, InputDimension = 6, LatentDimension = latent,
        HiddenDimensions = [8], FlowSteps = flowSteps, FlowHiddenDimension = flowSteps > 0 ? 7 : 0,
    };

    /// <summary>A flow with random (PyTorch default) weights everywhere, in float64, so it is far from the identity.</summary>
    private static InverseAutoregressiveFlow RandomFlow(int latent, int steps, int seed)
    {
        var flow = new InverseAutoregressiveFlow(latent, steps, hidden: 9);
        flow.to(ScalarType.Float64);
        using var noGrad = no_grad();
        // Weights drawn from a generator of the test's own (tests in parallel draw from libtorch's global one), the
        // output layers' larger than the rest, so the log-scales are well away from 0.
        using var generator = new Generator((ulong)seed);
        foreach (var (name, p) in flow.named_parameters())
            p.uniform_(name.Contains("output") ? -0.6 : -0.4, name.Contains("output") ? 0.6 : 0.4, generator);
        return flow;
    }

    private static double[] Evaluate(InverseAutoregressiveFlow flow, double[] z, Tensor context)
    {
        using var scope = NewDisposeScope();
        var (output, _) = flow.Transform(tensor(z, [1, z.Length], ScalarType.Float64), context);
        return output.data<double>().ToArray();
    }

    /// <summary>∂f_i/∂z_j by central differences, (latent, latent).</summary>
    private static double[,] Jacobian(InverseAutoregressiveFlow flow, double[] z, Tensor context)
    {
        const double h = 1e-5;
        int d = z.Length;
        var jacobian = new double[d, d];
        for (int j = 0; j < d; j++)
        {
            var plus = (double[])z.Clone();
            var minus = (double[])z.Clone();
            plus[j] += h;
            minus[j] -= h;
            var (fp, fm) = (Evaluate(flow, plus, context), Evaluate(flow, minus, context));
            for (int i = 0; i < d; i++) jacobian[i, j] = (fp[i] - fm[i]) / (2 * h);
        }
        return jacobian;
    }

    /// <summary>log |det A| by Gaussian elimination with partial pivoting.</summary>
    private static double LogAbsDeterminant(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        double log = 0;
        for (int c = 0; c < n; c++)
        {
            int pivot = Enumerable.Range(c, n - c).MaxBy(r => Math.Abs(a[r, c]));
            if (pivot != c)
                for (int k = 0; k < n; k++) (a[c, k], a[pivot, k]) = (a[pivot, k], a[c, k]);
            log += Math.Log(Math.Abs(a[c, c]));
            for (int r = c + 1; r < n; r++)
            {
                double factor = a[r, c] / a[c, c];
                for (int k = c; k < n; k++) a[r, k] -= factor * a[c, k];
            }
        }
        return log;
    }

    [TestMethod]
    public void TheLogDeterminantMatchesAFiniteDifferenceJacobian()
    {
        using var scope = NewDisposeScope();
        foreach (var (latent, steps) in new[] { (1, 1), (2, 3), (3, 1), (4, 4) })
        {
            using var flow = RandomFlow(latent, steps, seed: latent * 10 + steps);
            var random = new Random(latent + steps);
            var context = tensor(Enumerable.Range(0, 2 * latent).Select(_ => random.NextDouble() * 2 - 1).ToArray(), [1, 2 * latent], ScalarType.Float64);
            for (int trial = 0; trial < 3; trial++)
            {
                var z = Enumerable.Range(0, latent).Select(_ => random.NextDouble() * 3 - 1.5).ToArray();
                var (_, logDeterminant) = flow.Transform(tensor(z, [1, latent], ScalarType.Float64), context);
                double expected = LogAbsDeterminant(Jacobian(flow, z, context));
                double actual = logDeterminant.ToDouble();
                Assert.IsTrue(Math.Abs(actual) > 0.05 || latent == 1, $"D = {latent}, K = {steps}: the flow should not be volume-preserving here ({actual})");
                Assert.AreEqual(expected, actual, 1e-6, $"D = {latent}, K = {steps}, trial {trial}");
            }
        }
    }

    [TestMethod]
    public void OneStepIsAutoregressiveAndTheNextReversesTheOrder()
    {
        using var scope = NewDisposeScope();
        const int latent = 4;
        using var one = RandomFlow(latent, 1, seed: 5);
        using var two = RandomFlow(latent, 2, seed: 5);
        var context = zeros([1, 2 * latent], ScalarType.Float64);
        var z = new[] { 0.3, -0.7, 1.1, 0.2 };
        var first = Jacobian(one, z, context);
        // Step 1 (natural order): output i depends on z_j only for j ≤ i, so the Jacobian is lower triangular.
        for (int i = 0; i < latent; i++)
            for (int j = i + 1; j < latent; j++) Assert.AreEqual(0, first[i, j], 1e-9, $"∂z'_{i}/∂z_{j}");
        // Two steps in opposite orders mix every dimension into every other.
        var both = Jacobian(two, z, context);
        int nonzero = 0;
        for (int i = 0; i < latent; i++)
            for (int j = 0; j < latent; j++) if (Math.Abs(both[i, j]) > 1e-6) nonzero++;
        Assert.IsTrue(nonzero > latent * (latent + 1) / 2, $"{nonzero} non-zero entries after two steps");
    }

    [TestMethod]
    public void AnUntrainedFlowIsTheIdentityAndLeavesThePlainBoundsUnchanged()
    {
        using var scope = NewDisposeScope();
        using var plain = new VaeNetwork(Spec(0), new Generator(7));
        using var flowed = new VaeNetwork(Spec(2), new Generator(8));
        // The same encoder and decoder weights in both; the flow keeps its own (zero output layers).
        var shared = plain.state_dict();
        using (no_grad())
            foreach (var (name, tensor) in flowed.state_dict())
                if (shared.TryGetValue(name, out var value)) tensor.copy_(value);
        var random = new Random(3);
        var rows = Enumerable.Range(0, 20).Select(_ => Enumerable.Range(0, 6).Select(_ => random.NextDouble() < 0.5 ? 0f : 1f).ToArray()).ToArray();
        var x = tensor(rows.SelectMany(r => r).ToArray(), [20, 6]);
        var (mean, logVariance) = plain.Encode(x);
        var epsilon = randn(5, 20, 3, generator: new Generator(1));

        var (z, logQ) = PosteriorSamples.Draw(flowed, mean, logVariance, epsilon);
        var z0 = mean + (logVariance * 0.5).exp() * epsilon;
        Assert.AreEqual(0, (z - z0).abs().max().ToDouble(), 1e-7, "z_K = z_0");
        Assert.AreEqual(0, (logQ - LogDensities.DiagonalNormal(z0, mean, logVariance)).abs().max().ToDouble(), 1e-5, "log q = log q0");

        // The importance-weighted bound, with the same noise, is the plain VAE's to rounding.
        static double Bound(VaeNetwork network, ArrayBatchSource data)
        {
            using var generator = new Generator(11);
            using var draws = Noise.Use(generator);
            return new VaeEvaluator(network, new VaeInferenceSettings(0, 0.01, 0)).Evaluate(data, importanceSamples: 16, inputColumn: "Features").ImportanceWeightedBound!.Value;
        }
        var source = new ArrayBatchSource(rows);
        Assert.AreEqual(Bound(plain, source), Bound(flowed, source), 1e-4);

        // The ELBO: the flow's Monte Carlo KL, log q0(z) − log p(z), averages to the closed form.
        var many = randn(4000, 20, 3, generator: new Generator(2));
        var (_, closedKl) = PosteriorSamples.ElboTerms(plain, new Observation(x, null), mean, logVariance, many.narrow(0, 0, 1));
        var (_, sampledKl) = PosteriorSamples.ElboTerms(flowed, new Observation(x, null), mean, logVariance, many);
        double closed = closedKl.mean().ToDouble(), sampled = sampledKl.mean().ToDouble();
        Assert.AreEqual(closed, sampled, 0.02 * Math.Max(1, closed), "Monte Carlo KL against the closed form");
        var (plainNll, _) = PosteriorSamples.ElboTerms(plain, new Observation(x, null), mean, logVariance, epsilon);
        var (flowedNll, _) = PosteriorSamples.ElboTerms(flowed, new Observation(x, null), mean, logVariance, epsilon);
        Assert.AreEqual(0, (plainNll - flowedNll).abs().max().ToDouble(), 1e-5, "the same reconstruction term");
    }

    [TestMethod]
    public void TrainingGradientsReachTheFlowAndMatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        using var network = new VaeNetwork(Spec(2), new Generator(4));
        network.to(ScalarType.Float64);
        var x = (rand(8, 6, ScalarType.Float64, generator: new Generator(5)) > 0.5).to(ScalarType.Float64);
        var observed = new Observation(x, null);
        var epsilon = randn(3, 8, 3, ScalarType.Float64, generator: new Generator(6));
        Tensor Loss()
        {
            var (mean, logVariance) = network.Encode(x);
            var (nll, kl) = PosteriorSamples.ElboTerms(network, observed, mean, logVariance, epsilon);
            return (nll + kl).mean();
        }
        network.zero_grad();
        Loss().backward();
        var parameters = network.named_parameters().Where(p => p.name.StartsWith("flow.", StringComparison.Ordinal)).ToArray();
        // The zero-initialized output layers get gradients at once; the hidden layers only once the outputs are non-zero.
        foreach (var (name, p) in parameters.Where(p => p.name.Contains("output")))
            Assert.IsTrue(p.grad is not null && p.grad.abs().max().ToDouble() > 0, $"{name} gets a gradient");
        // Against central differences, on a few weights of the flow.
        foreach (var (name, p) in parameters.Where(p => p.name.Contains("output.linear")))
        {
            var flat = p.view(-1);
            var grad = p.grad!.view(-1);
            foreach (long index in new long[] { 0, flat.size(0) / 2, flat.size(0) - 1 })
            {
                const double h = 1e-6;
                double original = flat[index].ToDouble(), plus, minus;
                using (no_grad())
                {
                    flat[index] = original + h;
                    plus = Loss().ToDouble();
                    flat[index] = original - h;
                    minus = Loss().ToDouble();
                    flat[index] = original;
                }
                Assert.AreEqual((plus - minus) / (2 * h), grad[index].ToDouble(), 1e-5, $"{name}[{index}]");
            }
        }
    }
}
