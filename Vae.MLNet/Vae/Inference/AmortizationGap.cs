using Vae.MLNet.Networks;
using Vae.MLNet.Training;
using static Vae.MLNet.Torch.torch;

namespace Vae.MLNet.Inference;

/// <summary>
/// Computes <see cref="AmortizationGapResult"/> batch by batch with <see cref="PosteriorRefiner"/>, starting from the
/// model's own posterior (the encoder's, or its refinement when the model does semi-amortized inference).
/// </summary>
internal sealed class AmortizationGap
{
    private const int RowsPerBatch = 256;
    /// <summary>Samples of z behind each row's ELBO estimate, shared by the amortized and the optimized posterior.</summary>
    internal const int EvaluationSamples = 32;

    private readonly VaeNetwork _network;
    private readonly VaeInferenceSettings _inference;

    public AmortizationGap(VaeNetwork network, VaeInferenceSettings inference)
    {
        _network = network;
        _inference = inference;
    }

    public AmortizationGapResult Measure(IBatchSource data, int steps, double learningRate, int samples)
    {
        var amortized = new List<double>();
        var optimized = new List<double>();
        var refiner = new PosteriorRefiner(_network);
        int latent = _network.Spec.LatentDimension;
        foreach (var batch in data.GetBatches(RowsPerBatch, null))
        {
            using var scope = NewDisposeScope();
            var features = batch.Features.AsSpan(0, batch.Rows * batch.Dimension);
            var x = from_span<float>(features, [batch.Rows, batch.Dimension]);
            var noise = from_span<float>(RowNoise.Generate(features, batch.Rows, batch.Dimension, steps * samples + EvaluationSamples, latent),
                [steps * samples + EvaluationSamples, batch.Rows, latent]);
            var evaluationNoise = noise.narrow(0, steps * samples, EvaluationSamples);
            Tensor mean, logVariance;
            using (no_grad())
            {
                (mean, logVariance) = _inference.Posterior(_network, x, features);
                amortized.AddRange(Elbos(refiner, x, mean, logVariance, evaluationNoise));
            }
            var (refinedMean, refinedLogVariance) = refiner.Refine(x, mean, logVariance, steps, learningRate, samples, noise);
            using (no_grad()) optimized.AddRange(Elbos(refiner, x, refinedMean, refinedLogVariance, evaluationNoise));
        }
        if (amortized.Count == 0) throw new InvalidOperationException("The data has no rows.");
        return new AmortizationGapResult(amortized.ToArray(), optimized.ToArray(), steps, EvaluationSamples);
    }

    private static IEnumerable<double> Elbos(PosteriorRefiner refiner, Tensor x, Tensor mean, Tensor logVariance, Tensor noise)
    {
        using var negative = refiner.NegativeElbo(x, mean, logVariance, noise);
        using var asDouble = negative.to(ScalarType.Float64);
        return asDouble.data<double>().ToArray().Select(v => -v);
    }
}
