using Vae.MLNet.Backend;
using Vae.MLNet.Inference;
using Vae.MLNet.Networks;
using Vae.MLNet.Networks.Flows;
using TorchSharp;
using static TorchSharp.torch;

namespace Vae.MLNet.Training;

/// <summary>One batch's differentiable loss and the per-row sums reported in the training history.</summary>
internal readonly record struct BatchObjective(Tensor Loss, double LossSum, double ReconstructionSum, double KlSum);

/// <summary>
/// The training objective of one batch: the (β-weighted, free-bits) ELBO averaged over
/// <see cref="VaeOptions.SamplesPerPoint"/> samples of z, or the importance-weighted bound over that many samples
/// (Burda et al. 2016); with input corruption the encoder sees a corrupted x while the target stays clean
/// (denoising VAE, Im et al. 2017).
/// </summary>
internal sealed class TrainingObjective
{
    private readonly VaeNetwork _network;
    private readonly VaeOptions _options;

    public TrainingObjective(VaeNetwork network, VaeOptions options)
    {
        _network = network;
        _options = options;
    }

    public BatchObjective Compute(Observation observed, double klWeight)
    {
        using var corrupted = InputCorruption.Apply(observed.X, _options.InputCorruption, _options.CorruptionLevel);
        var (mean, logVariance) = _network.Encode(corrupted, observed.Condition);
        if (_network.IterativeInference is not null) return IterativeElbo(observed, mean, logVariance, klWeight);
        if (_options.ImportanceWeightedTraining) return ImportanceWeighted(observed, mean, logVariance);
        return _network.Flow is null ? Elbo(observed, mean, logVariance, klWeight) : FlowElbo(observed, mean, logVariance, klWeight);
    }

    /// <summary>With a flow: the sampled KL term log q(z_K|x) − log p(z_K), averaged over the K samples of each row.</summary>
    private BatchObjective FlowElbo(Observation observed, Tensor mean, Tensor logVariance, double klWeight)
    {
        var epsilon = PosteriorSamples.Epsilon(_options.SamplesPerPoint, mean);
        var (negativeLogLikelihood, kl) = PosteriorSamples.ElboTerms(_network, observed, mean, logVariance, epsilon);
        using var weight = klWeight.ToScalar();
        var loss = negativeLogLikelihood.Plus(kl * weight).mean();
        double reconstruction = negativeLogLikelihood.sum().ToDouble(), klSum = kl.sum().ToDouble();
        return new BatchObjective(loss, reconstruction + klWeight * klSum, reconstruction, klSum);
    }

    /// <summary>
    /// Iterative amortized inference: the negative ELBO averaged over the refined posteriors of iterations 1..N, so the
    /// encoder, the inference model and the decoder all learn from it; the history reports the last iteration's terms.
    /// Each refined posterior is a diagonal Gaussian, so free bits apply to it as in the plain ELBO: its KL term is
    /// Σ_d max(λ, mean over rows of KL_d).
    /// </summary>
    private BatchObjective IterativeElbo(Observation observed, Tensor mean, Tensor logVariance, double klWeight)
    {
        int k = _options.SamplesPerPoint;
        var (_, _, terms) = _network.IterativeInference!.Refine(_network, observed, mean, logVariance, _network.Spec.InferenceIterations,
            _ => PosteriorSamples.Epsilon(k, mean), klWeight, train: true);
        using var weight = klWeight.ToScalar();
        using var freeBits = _options.FreeBits.ToScalar();
        using var iterations = ((double)terms.Count).ToScalar();
        Tensor? sum = null;
        foreach (var (negativeLogLikelihood, kl, refinedMean, refinedLogVariance) in terms)
        {
            var klTerm = _options.FreeBits > 0
                ? Networks.Elbo.KlPerDimension(refinedMean, refinedLogVariance).mean([0]).clamp_min(freeBits).sum()
                : kl.mean();
            var term = negativeLogLikelihood.mean().Plus(klTerm * weight);
            sum = sum is null ? term : sum.Plus(term);
        }
        var loss = sum!.div(iterations);
        var (lastReconstruction, lastKl, _, _) = terms[^1];
        double reconstruction = lastReconstruction.sum().ToDouble(), klSum = lastKl.sum().ToDouble();
        return new BatchObjective(loss, reconstruction + klWeight * klSum, reconstruction, klSum);
    }

    private BatchObjective Elbo(Observation observed, Tensor mean, Tensor logVariance, double klWeight)
    {
        int k = _options.SamplesPerPoint;
        // K samples per row: the rows are tiled K times, so every sample's terms enter the average alike.
        var tiled = observed.Tile(k);
        var tiledMean = k == 1 ? mean : mean.repeat(k, 1);
        var tiledLogVariance = k == 1 ? logVariance : logVariance.repeat(k, 1);
        var output = _network.Decode(VaeNetwork.Reparameterize(tiledMean, tiledLogVariance), tiled.Condition);
        var terms = Networks.Elbo.Compute(output, tiled.X, tiledMean, tiledLogVariance, _network.ObservationLogVariance(),
            _options.Likelihood, klWeight, _options.FreeBits, _network.Observation);
        double reconstruction = terms.ReconstructionPerRow.sum().ToDouble() / k, kl = terms.KlPerRow.sum().ToDouble() / k;
        return new BatchObjective(terms.Loss, reconstruction + klWeight * kl, reconstruction, kl);
    }

    private BatchObjective ImportanceWeighted(Observation observed, Tensor mean, Tensor logVariance)
    {
        int k = _options.SamplesPerPoint;
        long rows = observed.X.size(0);
        var epsilon = Noise.Randn(k, rows, mean.size(1));
        // With a flow, z is z_K and log q(z_K|x) = log q0(z0|x) − Σ log |det|.
        var (z, logQ) = PosteriorSamples.Draw(_network, mean, logVariance, epsilon);
        var tiled = observed.Tile(k);
        var output = _network.Decode(z.reshape(k * rows, -1), tiled.Condition);
        var logLikelihood = LogDensities.Likelihood(_network, output, tiled.X).view(k, rows);
        var logWeights = logLikelihood.Plus(LogDensities.StandardNormal(z)).Minus(logQ);
        using var minusLogK = (-Math.Log(k)).ToScalar();
        var bound = logWeights.logsumexp(0).Plus(minusLogK);
        var loss = -bound.mean();
        using var noGrad = no_grad();
        double reconstruction = -logLikelihood.mean([0]).sum().ToDouble();
        double kl = Networks.Elbo.KlPerDimension(mean, logVariance).sum().ToDouble();
        return new BatchObjective(loss, -bound.sum().ToDouble(), reconstruction, kl);
    }
}
