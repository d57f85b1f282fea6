using Vae.MLNet.Backend;
using TorchSharp;
using Vae.MLNet.Inference;
using static TorchSharp.torch;

namespace Vae.MLNet.Networks.Flows;

/// <summary>
/// Samples of q(z|x) and their log-densities, with or without a flow: z0 = μ + σ ε, z = f_K ∘ … ∘ f_1(z0) and
/// log q(z|x) = log N(z0; μ, σ²) − Σ_k log |det ∂f_k/∂z_{k−1}| (Rezende &amp; Mohamed 2015, eq. 6). Without a flow z = z0.
/// </summary>
internal static class PosteriorSamples
{
    /// <summary>
    /// z and log q(z|x) for noise ε of shape (S, rows, latent) (or (rows, latent)); μ and log σ² are (rows, latent).
    /// </summary>
    public static (Tensor z, Tensor logQ) Draw(VaeNetwork network, Tensor mean, Tensor logVariance, Tensor epsilon)
    {
        using var scope = NewDisposeScope();
        var z0 = mean.Plus((logVariance * Scalars.Half).exp() * epsilon);
        var logQ0 = LogDensities.DiagonalNormal(z0, mean, logVariance);
        if (network.Flow is not { } flow) return (z0.MoveToOuterDisposeScope(), logQ0.MoveToOuterDisposeScope());
        var (z, logDeterminant) = flow.Transform(z0, Context(mean, logVariance));
        return (z.MoveToOuterDisposeScope(), logQ0.Minus(logDeterminant).MoveToOuterDisposeScope());
    }

    /// <summary>The latent point the reconstruction decodes: μ without a flow, f(μ) (the image of ε = 0) with one.</summary>
    public static Tensor Center(VaeNetwork network, Tensor mean, Tensor logVariance)
    {
        if (network.Flow is not { } flow) return mean.alias();
        using var context = Context(mean, logVariance);
        var (z, logDeterminant) = flow.Transform(mean, context);
        logDeterminant.Dispose();
        return z;
    }

    /// <summary>
    /// Per row, −log p(x|z) and the KL term, each averaged over the S samples of ε (S, rows, latent): the KL is
    /// closed-form without a flow, and the Monte Carlo estimate log q(z|x) − log p(z) with one.
    /// </summary>
    public static (Tensor negativeLogLikelihood, Tensor kl) ElboTerms(VaeNetwork network, Observation observed, Tensor mean, Tensor logVariance, Tensor epsilon)
    {
        using var scope = NewDisposeScope();
        long samples = epsilon.size(0), rows = observed.X.size(0);
        // Without a flow only z is needed: the KL is closed-form.
        var (z, logQ) = network.Flow is null ? (mean.Plus((logVariance * Scalars.Half).exp() * epsilon), null) : Draw(network, mean, logVariance, epsilon);
        var tiled = observed.Tile(samples);
        var output = network.Decode(z.reshape(samples * rows, -1), tiled.Condition);
        var negativeLogLikelihood = -LogDensities.Likelihood(network, output, tiled.X).view(samples, rows).mean([0]);
        var kl = network.Flow is null
            ? Elbo.KlPerDimension(mean, logVariance).sum(1)
            : (logQ! - LogDensities.StandardNormal(z)).mean([0]);
        return (negativeLogLikelihood.MoveToOuterDisposeScope(), kl.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The summed one-sample negative ELBO of a batch under the model's posterior: the encoder's (μ, log σ²), iterated
    /// by the iterative inference model when there is one, and the flow when there is one.
    /// </summary>
    public static double ValidationNegativeElbo(VaeNetwork network, Observation observed, Tensor mean, Tensor logVariance)
    {
        using var scope = NewDisposeScope();
        if (network.IterativeInference is { } iterative)
            (mean, logVariance, _) = iterative.Refine(network, observed, mean, logVariance, network.Spec.InferenceIterations,
                _ => Epsilon(1, mean), klWeight: 1, train: false);
        var (negativeLogLikelihood, kl) = ElboTerms(network, observed, mean, logVariance, Epsilon(1, mean));
        return negativeLogLikelihood.Plus(kl).sum().ToDouble();
    }

    /// <summary>
    /// (samples, rows, latent) standard normals from the current <see cref="Backend.Noise"/> generator (a CPU one), on
    /// the device of <paramref name="mean"/>.
    /// </summary>
    public static Tensor Epsilon(long samples, Tensor mean)
    {
        var epsilon = Backend.Noise.Randn(samples, mean.size(0), mean.size(1));
        if (epsilon.device_type == mean.device_type && epsilon.device_index == mean.device_index) return epsilon;
        using (epsilon) return epsilon.to(mean.device);
    }

    private static Tensor Context(Tensor mean, Tensor logVariance) => cat([mean, logVariance], -1);
}
