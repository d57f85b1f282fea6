using Vae.MLNet.Backend;
using TorchSharp;
using TorchSharp.Modules;
using Vae.MLNet.Networks.Flows;
using static TorchSharp.torch;

namespace Vae.MLNet.Networks.Iterative;

/// <summary>
/// Iterative amortized inference (Marino, Yue &amp; Mandt 2018): a network that refines the posterior's λ = (μ, log σ²)
/// from λ and the ELBO's gradient ∇_λ L, by the gated update λ ← g ⊙ λ + (1 − g) ⊙ Δ with (Δ, g) = f(λ, ∇_λ L),
/// starting from the encoder's λ. As in the paper, the gradient enters as data (detached): the model learns how to
/// use it, and training differentiates through the updates, not through the gradient's computation. The gradient
/// enters as asinh(∇), which keeps its sign and compresses the large values a 784-pixel likelihood gives.
/// </summary>
internal sealed class IterativeInferenceModel : nn.Module
{
    /// <summary>The gates' initial bias: g = sigmoid(3) ≈ 0.95, so training starts near the encoder's own λ.</summary>
    private const double InitialGateBias = 3;

    private readonly int _latent;
    private readonly Sequential _body;
    private readonly Linear _update;
    private readonly Linear _gate;

    public IterativeInferenceModel(int latent, int hidden) : base(nameof(IterativeInferenceModel))
    {
        _latent = latent;
        _body = nn.Sequential(nn.Linear(4 * latent, hidden), nn.ELU(), nn.Linear(hidden, hidden), nn.ELU());
        _update = nn.Linear(hidden, 2 * latent);
        _gate = nn.Linear(hidden, 2 * latent);
        register_module("body", _body);
        register_module("update", _update);
        register_module("gate", _gate);
    }

    /// <summary>Starts the gates near 1 (after the network's random initialization), so an untrained model barely moves λ.</summary>
    public void InitializeGates()
    {
        using var noGrad = no_grad();
        using var bias = InitialGateBias.ToScalar();
        _gate.bias!.fill_(bias);
    }

    /// <summary>One update of (μ, log σ²) from the gradients of the ELBO with respect to them (all (rows, latent)).</summary>
    public (Tensor mean, Tensor logVariance) Step(Tensor mean, Tensor logVariance, Tensor meanGradient, Tensor logVarianceGradient)
    {
        using var scope = NewDisposeScope();
        var parameters = cat([mean, logVariance], 1);
        var input = cat([parameters, meanGradient.asinh(), logVarianceGradient.asinh()], 1);
        var hidden = _body.call(input);
        var gate = _gate.call(hidden).sigmoid();
        var updated = (gate * parameters).Plus(gate.neg().Plus(Scalars.One) * _update.call(hidden));
        return (updated.narrow(1, 0, _latent).MoveToOuterDisposeScope(), updated.narrow(1, _latent, _latent).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Runs <paramref name="iterations"/> updates from the encoder's (μ, log σ²), each from the gradient of a
    /// Monte Carlo ELBO (samples noise(t), shaped (S, rows, latent)). Returns the final λ and, per iteration t = 1..N,
    /// the negative ELBO terms (−log p(x|z), KL) at λ_t = (μ_t, log σ²_t) with the next iteration's noise, and λ_t
    /// itself (for the per-dimension KL that free bits need), which training averages.
    /// With <paramref name="train"/> false, λ is detached after every step and nothing is kept for backpropagation.
    /// </summary>
    public (Tensor mean, Tensor logVariance, List<(Tensor negativeLogLikelihood, Tensor kl, Tensor mean, Tensor logVariance)> terms) Refine(
        VaeNetwork network, Observation observed, Tensor mean, Tensor logVariance, int iterations, Func<int, Tensor> noise, double klWeight, bool train)
    {
        using var gradients = enable_grad();
        var terms = new List<(Tensor, Tensor, Tensor, Tensor)>();
        using var min = network.Spec.LogVarianceMin.ToScalar();
        using var max = network.Spec.LogVarianceMax.ToScalar();
        if (!train)
        {
            mean = mean.detach().requires_grad_(true);
            logVariance = logVariance.detach().requires_grad_(true);
        }
        for (int t = 0; t <= iterations; t++)
        {
            if (t == iterations && !train) break;
            var (negativeLogLikelihood, kl) = PosteriorSamples.ElboTerms(network, observed, mean, logVariance, noise(t));
            if (t > 0 && train) terms.Add((negativeLogLikelihood, kl, mean, logVariance));
            if (t == iterations) break;
            using var weight = klWeight.ToScalar();
            using var loss = negativeLogLikelihood.Plus(kl * weight).sum();
            // The gradient as data (Marino et al.): no graph through it; the graph of the terms stays for training.
            var grads = autograd.grad([loss], [mean, logVariance], retain_graph: train);
            using var meanGradient = grads[0].detach();
            using var logVarianceGradient = grads[1].detach();
            foreach (var g in grads) g.Dispose();
            var (nextMean, nextLogVariance) = Step(mean, logVariance, meanGradient, logVarianceGradient);
            using (var raw = nextLogVariance) nextLogVariance = raw.clamp(min, max);
            if (!train)
            {
                negativeLogLikelihood.Dispose();
                kl.Dispose();
                (nextMean, nextLogVariance) = (nextMean.detach().requires_grad_(true), nextLogVariance.detach().requires_grad_(true));
            }
            mean = nextMean;
            logVariance = nextLogVariance;
        }
        if (!train) return (mean.detach(), logVariance.detach(), terms);
        return (mean, logVariance, terms);
    }
}
