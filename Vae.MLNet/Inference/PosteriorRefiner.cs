using Vae.MLNet.Backend;
using Vae.MLNet.Networks;
using Vae.MLNet.Networks.Flows;
using TorchSharp;
using static TorchSharp.torch;

namespace Vae.MLNet.Inference;

/// <summary>
/// Optimizes each row's own variational parameters (μ, log σ²) against the fixed decoder, maximizing that row's
/// ELBO with Adam from the encoder's output: the instance-level inference of Cremer et al. (2018) and the
/// refinement of semi-amortized VAEs (Kim et al. 2018). Rows are optimized together in one batch; their objectives
/// are independent, and only μ and log σ² receive gradients (the network's weights are never touched).
/// </summary>
internal sealed class PosteriorRefiner
{
    private readonly VaeNetwork _network;

    public PosteriorRefiner(VaeNetwork network) => _network = network;

    /// <summary>
    /// The refined (μ, log σ²) after <paramref name="steps"/> Adam steps. <paramref name="noise"/> holds
    /// (steps · samples, rows, latent) standard normals: step s uses slices s·samples to s·samples + samples − 1.
    /// </summary>
    public (Tensor mean, Tensor logVariance) Refine(Observation observed, Tensor mean, Tensor logVariance, int steps, double learningRate, int samples, Tensor noise)
    {
        using var gradients = enable_grad();
        // Clones: the optimizer updates in place and must not write through into the caller's tensors.
        using var startMean = mean.detach().clone();
        using var startLogVariance = logVariance.detach().clone();
        var refinedMean = new TorchSharp.Modules.Parameter(startMean);
        var refinedLogVariance = new TorchSharp.Modules.Parameter(startLogVariance);
        using var optimizer = optim.Adam([refinedMean, refinedLogVariance], lr: learningRate);
        // The network's acceleration's step: the fused one with the library's kernels, whose Scalars cannot be finalized
        // mid-call when other threads collect as Adam.step's temporaries can (Backend/Scalars).
        var step = _network.Acceleration.AdamStep(optimizer, [refinedMean, refinedLogVariance], learningRate);
        using var logVarianceMin = _network.Spec.LogVarianceMin.ToScalar();
        using var logVarianceMax = _network.Spec.LogVarianceMax.ToScalar();
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            var epsilon = noise.narrow(0, i * samples, samples);
            var loss = NegativeElbo(observed, refinedMean, refinedLogVariance, epsilon).sum();
            optimizer.zero_grad();
            // By name: TorchSharp's first positional parameter of backward is grad_tensors, not inputs.
            loss.backward(inputs: [refinedMean, refinedLogVariance]);
            step.Step();
            using (no_grad()) refinedLogVariance.clamp_(logVarianceMin, logVarianceMax);
        }
        using (no_grad())
        {
            var result = (refinedMean.detach(), refinedLogVariance.detach());
            refinedMean.Dispose();
            refinedLogVariance.Dispose();
            return result;
        }
    }

    /// <summary>
    /// Per row: −ELBO = −(1/S) Σₛ log p(x | μ + σ εₛ) + KL(N(μ, σ²) ‖ N(0, I)), for noise ε of shape (S, rows, latent);
    /// with a flow, z = f(μ + σ εₛ) and the KL is (1/S) Σₛ log q(zₛ|x) − log p(zₛ). The flow itself is not optimized.
    /// </summary>
    public Tensor NegativeElbo(Observation observed, Tensor mean, Tensor logVariance, Tensor epsilon)
    {
        // With a flow the KL is the Monte Carlo estimate over the same samples (Networks/Flows/PosteriorSamples).
        var (negativeLogLikelihood, kl) = PosteriorSamples.ElboTerms(_network, observed, mean, logVariance, epsilon);
        using (negativeLogLikelihood)
        using (kl)
            return kl.Plus(negativeLogLikelihood);
    }
}
