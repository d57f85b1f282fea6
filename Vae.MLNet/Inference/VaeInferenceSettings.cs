using Vae.MLNet.Backend;
using Vae.MLNet.Networks;
using static TorchSharp.torch;

namespace Vae.MLNet.Inference;

/// <summary>
/// How a fitted VAE infers per row (saved with the model): the posterior, refined by a few gradient steps when
/// <see cref="RefinementSteps"/> &gt; 0 (semi-amortized inference), and the anomaly score. Their noise comes from
/// <see cref="RowNoise"/>, so a row's outputs do not depend on its batch or thread.
/// </summary>
internal sealed record VaeInferenceSettings(int RefinementSteps, double RefinementLearningRate, int AnomalyScoreImportanceSamples)
{
    /// <summary>Samples of z behind an ELBO-based anomaly score.</summary>
    internal const int ScoreSamples = 4;
    private const int RefinementStream = 1, ScoreStream = 2, IterationStream = 3;

    /// <summary>Upper bound on the refinement steps, which keep one batch's work and noise buffers within reason.</summary>
    internal const int MaxRefinementSteps = 10_000;

    /// <summary>
    /// Upper bound on the anomaly score's importance samples. The score is computed for every row each time the column
    /// is read (and for each PredictionEngine call), and its cost grows linearly with k: one decoder pass per sample
    /// and row. 5,000 is the k of the importance-weighted log-likelihood estimates in Burda et al. (2016), beyond which
    /// the bound barely moves, and keeps a Transform of an MNIST-sized model over a test set to minutes, where the
    /// former limit of 100,000 took hours.
    /// </summary>
    internal const int MaxImportanceSamples = 5_000;

    public static VaeInferenceSettings From(VaeOptions o) => new(o.RefinementSteps, o.RefinementLearningRate, o.AnomalyScoreImportanceSamples);

    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range (the message names it).</exception>
    public void Validate()
    {
        if (RefinementSteps is < 0 or > MaxRefinementSteps)
            throw new ArgumentOutOfRangeException(nameof(RefinementSteps), RefinementSteps, $"RefinementSteps must be between 0 and {MaxRefinementSteps}.");
        if (!(RefinementLearningRate > 0) || !double.IsFinite(RefinementLearningRate))
            throw new ArgumentOutOfRangeException(nameof(RefinementLearningRate), RefinementLearningRate, "RefinementLearningRate must be a positive finite number.");
        if (AnomalyScoreImportanceSamples is < 0 or > MaxImportanceSamples)
            throw new ArgumentOutOfRangeException(nameof(AnomalyScoreImportanceSamples), AnomalyScoreImportanceSamples,
                $"AnomalyScoreImportanceSamples must be between 0 and {MaxImportanceSamples}: the score decodes every row once per sample each time it is read, " +
                $"so its time grows linearly with it, and {MaxImportanceSamples} is the k of Burda et al.'s log-likelihood estimates, beyond which the bound barely moves.");
    }

    /// <summary>
    /// q(z|x)'s (μ, log σ²) for each row of x: the encoder's, iterated by the iterative inference model when the
    /// network has one, then refined when configured.
    /// </summary>
    public (Tensor mean, Tensor logVariance) Posterior(VaeNetwork network, Observation observed, ReadOnlySpan<float> features)
    {
        var (mean, logVariance) = network.Encode(observed.X, observed.Condition);
        if (network.IterativeInference is { } iterative)
        {
            int iterations = network.Spec.InferenceIterations;
            using var iterationNoise = Noise(features, observed.X, network, iterations, IterationStream);
            var (encoderMean, encoderLogVariance) = (mean, logVariance);
            (mean, logVariance, _) = iterative.Refine(network, observed, encoderMean, encoderLogVariance, iterations, t => iterationNoise.narrow(0, t, 1), klWeight: 1, train: false);
            encoderMean.Dispose();
            encoderLogVariance.Dispose();
        }
        if (RefinementSteps == 0) return (mean, logVariance);
        var noise = Noise(features, observed.X, network, RefinementSteps, RefinementStream);
        return new PosteriorRefiner(network).Refine(observed, mean, logVariance, RefinementSteps, RefinementLearningRate, 1, noise);
    }

    /// <summary>
    /// Each row's anomaly score: −ELBO (estimated with <see cref="ScoreSamples"/> samples), or −IWAE with
    /// <see cref="AnomalyScoreImportanceSamples"/> samples when that is positive. Higher means less likely.
    /// </summary>
    public Tensor AnomalyScore(VaeNetwork network, Observation observed, ReadOnlySpan<float> features, Tensor mean, Tensor logVariance)
    {
        using var scope = NewDisposeScope();
        int k = AnomalyScoreImportanceSamples;
        if (k == 0)
            return new PosteriorRefiner(network).NegativeElbo(observed, mean, logVariance, Noise(features, observed.X, network, ScoreSamples, ScoreStream)).MoveToOuterDisposeScope();
        // The noise is drawn chunk by chunk into one buffer, as the bound consumes it: its memory is one chunk's.
        int rows = (int)observed.X.size(0), latent = network.Spec.LatentDimension;
        var stream = new RowNoiseStream(features, rows, (int)observed.X.size(1), latent, ScoreStream);
        var buffer = new float[Math.Min(k, VaeEvaluator.SamplesPerChunk(rows)) * rows * latent];
        var bound = new VaeEvaluator(network, this).ImportanceWeightedBound(observed, mean, logVariance, k, (_, count) =>
        {
            var chunk = buffer.AsSpan(0, count * rows * latent);
            stream.Next(count, chunk);
            return TensorCopy.FromSpan(chunk, count, rows, latent);
        });
        return bound.neg().MoveToOuterDisposeScope();
    }

    private static Tensor Noise(ReadOnlySpan<float> features, Tensor x, VaeNetwork network, int count, int stream)
    {
        int rows = (int)x.size(0), latent = network.Spec.LatentDimension;
        return TensorCopy.FromSpan(RowNoise.Generate(features, rows, (int)x.size(1), count, latent, stream), [count, rows, latent]);
    }
}
