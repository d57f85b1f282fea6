using Vae.MLNet.Backend;
using Vae.MLNet.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Vae.MLNet.Inference;

/// <summary>The log-densities an importance-weighted bound needs, one value per row (summed over dimensions).</summary>
internal static class LogDensities
{
    /// <summary>log N(z; 0, I).</summary>
    public static Tensor StandardNormal(Tensor z)
    {
        using var squared = z.Squared();
        using var summed = squared.sum(-1);
        using var constant = (z.size(-1) * Math.Log(2 * Math.PI)).ToScalar();
        using var scaled = summed.Plus(constant);
        return scaled * Scalars.MinusHalf;
    }

    /// <summary>log N(z; μ, diag σ²), broadcasting μ and log σ² over leading sample dimensions.</summary>
    public static Tensor DiagonalNormal(Tensor z, Tensor mean, Tensor logVariance)
    {
        using var scope = NewDisposeScope();
        return (-Elbo.GaussianNegativeLogDensity(mean, z, logVariance).sum(-1)).MoveToOuterDisposeScope();
    }

    /// <summary>log p(x | z) from the decoder's output, per row.</summary>
    public static Tensor Likelihood(VaeNetwork network, Tensor output, Tensor x)
    {
        using var scope = NewDisposeScope();
        if (network.Observation is { } observation)
            return (-observation.NegativeLogLikelihood(output, x, network.ObservationLogVariance())).MoveToOuterDisposeScope();
        long rows = output.size(0);
        var flatOutput = output.reshape(rows, -1);
        var flatX = x.reshape(rows, -1);
        if (network.Spec.Likelihood == VaeLikelihood.Bernoulli)
            return (-Elbo.BernoulliNegativeLogLikelihood(flatOutput, flatX)).MoveToOuterDisposeScope();
        return (-Elbo.GaussianNegativeLogLikelihood(flatOutput, flatX, network.ObservationLogVariance()!)).MoveToOuterDisposeScope();
    }
}
