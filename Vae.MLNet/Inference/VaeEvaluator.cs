using TorchSharp;
using Vae.MLNet.Backend;
using Vae.MLNet.Networks;
using Vae.MLNet.Networks.Flows;
using Vae.MLNet.Training;
using static TorchSharp.torch;

namespace Vae.MLNet.Inference;

/// <summary>
/// Computes <see cref="VaeMetrics"/> over a data set in batches: the one-sample ELBO, the KL per dimension, active
/// units and, with k importance samples, the IWAE bound via log-sum-exp, all under the configured posterior
/// (refined when the model does semi-amortized inference).
/// </summary>
internal sealed class VaeEvaluator
{
    private const int RowsPerBatch = 256;
    /// <summary>
    /// Importance samples are decoded in chunks of a multiple of this many, so memory stays at about
    /// <see cref="DecodedRowsPerChunk"/> × input size whatever the number of samples; Evaluate draws its noise in
    /// pieces of this size, so its draws are the same whatever the chunk.
    /// </summary>
    internal const int SamplePiece = 32;

    /// <summary>Decoded rows (samples × rows) per chunk: a full batch's 32 samples, more samples when there are fewer rows.</summary>
    internal const int DecodedRowsPerChunk = SamplePiece * RowsPerBatch;

    /// <summary>Samples per chunk for <paramref name="rows"/> rows: a multiple of <see cref="SamplePiece"/>, 32 for a full batch.</summary>
    internal static int SamplesPerChunk(long rows) => (int)Math.Max(1, DecodedRowsPerChunk / Math.Max(1, rows) / SamplePiece) * SamplePiece;

    /// <summary>
    /// Upper bound on Evaluate's importance samples: the bound decodes every row once per sample, so its time grows
    /// linearly with k (int.MaxValue ran for hours on 4 rows). 100,000 is twenty times the k of Burda et al.'s
    /// log-likelihood estimates and still finishes on an MNIST-sized test set within hours.
    /// </summary>
    internal const int MaxImportanceSamples = 100_000;

    private readonly VaeNetwork _network;
    private readonly VaeInferenceSettings _inference;

    public VaeEvaluator(VaeNetwork network, VaeInferenceSettings inference)
    {
        _network = network;
        _inference = inference;
    }

    /// <summary>The metrics over <paramref name="data"/> (read from column <paramref name="inputColumn"/>, named in errors).</summary>
    /// <exception cref="InvalidOperationException">A row's ELBO or bound is not finite (finite input far off the training scale); the message names the row and slot.</exception>
    public VaeMetrics Evaluate(IBatchSource data, int importanceSamples, string inputColumn)
    {
        if (importanceSamples is < 0 or > MaxImportanceSamples)
            throw new ArgumentOutOfRangeException(nameof(importanceSamples), importanceSamples,
                $"importanceSamples must be between 0 and {MaxImportanceSamples}: the bound decodes every row once per sample, so its time grows linearly with it, " +
                "and the bound barely moves beyond a few thousand (Burda et al. estimate log-likelihoods with 5,000).");
        int latent = _network.Spec.LatentDimension;
        double reconstruction = 0, kl = 0, bound = 0;
        var klPerDimension = new double[latent];
        var meanSum = new double[latent];
        var meanSquareSum = new double[latent];
        long rows = 0;
        using var noGrad = no_grad();
        foreach (var batch in data.GetBatches(RowsPerBatch, null))
        {
            using var scope = NewDisposeScope();
            var observed = batch.ToObservation();
            var (mean, logVariance) = _inference.Posterior(_network, observed, batch.FeatureSpan);
            if (_network.Flow is null)
            {
                var output = _network.Decode(VaeNetwork.Reparameterize(mean, logVariance), observed.Condition);
                var terms = Elbo.Compute(output, observed.X, mean, logVariance, _network.ObservationLogVariance(), _network.Spec.Likelihood, 1.0, observation: _network.Observation);
                CheckFinite(terms.ReconstructionPerRow.Plus(terms.KlPerRow), "ELBO", batch, rows, inputColumn);
                reconstruction += terms.ReconstructionPerRow.sum().ToDouble();
                kl += terms.KlPerRow.sum().ToDouble();
                Accumulate(klPerDimension, terms.KlPerDimension.sum([0]));
            }
            else
            {
                // The flowed posterior's KL has no split by dimension: the KL per dimension is the Gaussian q0's.
                var (negativeLogLikelihood, sampledKl) = PosteriorSamples.ElboTerms(_network, observed, mean, logVariance, PosteriorSamples.Epsilon(1, mean));
                CheckFinite(negativeLogLikelihood.Plus(sampledKl), "ELBO", batch, rows, inputColumn);
                reconstruction += negativeLogLikelihood.sum().ToDouble();
                kl += sampledKl.sum().ToDouble();
                Accumulate(klPerDimension, Elbo.KlPerDimension(mean, logVariance).sum([0]));
            }
            Accumulate(meanSum, mean.sum([0]));
            Accumulate(meanSquareSum, mean.Squared().sum([0]));
            if (importanceSamples > 0)
            {
                var rowBounds = ImportanceWeightedBound(observed, mean, logVariance, importanceSamples, (_, k) => Pieces(k, batch.Rows, latent));
                CheckFinite(rowBounds, "importance-weighted bound", batch, rows, inputColumn);
                bound += rowBounds.sum().ToDouble();
            }
            rows += batch.Rows;
        }
        if (rows == 0) throw new InvalidOperationException("The evaluation data has no rows.");
        int active = 0;
        for (int d = 0; d < latent; d++)
        {
            double average = meanSum[d] / rows;
            if (meanSquareSum[d] / rows - average * average > 0.01) active++;
        }
        return new VaeMetrics(rows, reconstruction / rows, kl / rows, klPerDimension.Select(v => v / rows).ToArray(), active,
            importanceSamples > 0 ? bound / rows : null, importanceSamples);
    }

    /// <summary>
    /// Per row: log (1/k) Σᵢ p(x, zᵢ) / q(zᵢ|x) with zᵢ = μ + σ εᵢ, combined across chunks by log-sum-exp;
    /// noise(start, count) gives the standard normals εᵢ of samples start..start+count−1, shaped (count, rows, latent),
    /// called in order. Each chunk keeps only its log-sum-exp (rows values), so memory grows with samples / chunk,
    /// not with samples; the result equals one log-sum-exp over all the weights up to float rounding.
    /// </summary>
    public Tensor ImportanceWeightedBound(Observation observed, Tensor mean, Tensor logVariance, int samples, Func<int, int, Tensor> noise)
    {
        using var scope = NewDisposeScope();
        var chunks = new List<Tensor>();
        int perChunk = SamplesPerChunk(observed.X.size(0));
        for (int done = 0; done < samples; done += perChunk)
        {
            using var chunkScope = NewDisposeScope();
            int k = Math.Min(perChunk, samples - done);
            chunks.Add(LogWeights(observed, mean, logVariance, noise(done, k)).logsumexp(0, keepdim: true).MoveToOuterDisposeScope());
        }
        var logWeights = cat(chunks, 0);
        using var minusLogSamples = (-Math.Log(samples)).ToScalar();
        return logWeights.logsumexp(0).Plus(minusLogSamples).MoveToOuterDisposeScope();
    }

    /// <summary>log p(x|z) + log p(z) − log q(z|x) for the k samples z = μ + σ ε of each row (flowed, with a flow): (k, rows).</summary>
    internal Tensor LogWeights(Observation observed, Tensor mean, Tensor logVariance, Tensor epsilon)
    {
        using var scope = NewDisposeScope();
        long rows = observed.X.size(0), k = epsilon.size(0);
        var (z, logQ) = PosteriorSamples.Draw(_network, mean, logVariance, epsilon);
        var tiled = observed.Tile(k);
        var output = _network.Decode(z.reshape(k * rows, -1), tiled.Condition);
        var logLikelihood = LogDensities.Likelihood(_network, output, tiled.X).view(k, rows);
        var logWeights = logLikelihood.Plus(LogDensities.StandardNormal(z)).Minus(logQ);
        return logWeights.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The rule of Transform for Evaluate: a row whose ELBO or bound is not finite (finite input far off the training
    /// scale overflows the network) is refused, naming the row and its slot of largest magnitude, rather than turning
    /// the averages into ∞ or NaN.
    /// </summary>
    private static void CheckFinite(Tensor perRow, string what, RowBatch batch, long firstRow, string inputColumn)
    {
        if (perRow.isfinite().all().ToBoolean()) return;
        var values = perRow.to(ScalarType.Float32).cpu().data<float>().ToArray();
        int row = Array.FindIndex(values, v => !float.IsFinite(v));
        throw new InvalidOperationException(Mapping.NonFiniteOutputs.Describe(inputColumn, firstRow + row,
            batch.FeatureSpan.Slice(row * batch.Dimension, batch.Dimension), $"the {what}", values[row]));
    }

    /// <summary>(count, rows, latent) normals drawn <see cref="SamplePiece"/> samples at a time, as every chunk size draws them.</summary>
    private static Tensor Pieces(int count, int rows, int latent)
    {
        if (count <= SamplePiece) return Noise.Randn(count, rows, latent);
        using var scope = NewDisposeScope();
        var pieces = new List<Tensor>();
        for (int done = 0; done < count; done += SamplePiece) pieces.Add(Noise.Randn(Math.Min(SamplePiece, count - done), rows, latent));
        return cat(pieces, 0).MoveToOuterDisposeScope();
    }

    private static void Accumulate(double[] sums, Tensor values)
    {
        var data = values.to(ScalarType.Float64).data<double>().ToArray();
        for (int i = 0; i < sums.Length; i++) sums[i] += data[i];
    }
}
