using Vae.MLNet.Backend;
using Vae.MLNet.Networks;
using Vae.MLNet.Training;
using static TorchSharp.torch;

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
            var features = batch.FeatureSpan;
            var observed = batch.ToObservation();
            var noise = TensorCopy.FromSpan(RowNoise.Generate(features, batch.Rows, batch.Dimension, steps * samples + EvaluationSamples, latent),
                [steps * samples + EvaluationSamples, batch.Rows, latent]);
            var evaluationNoise = noise.narrow(0, steps * samples, EvaluationSamples);
            Tensor mean, logVariance;
            using (no_grad())
            {
                (mean, logVariance) = _inference.Posterior(_network, observed, features);
                amortized.AddRange(Elbos(refiner, observed, mean, logVariance, evaluationNoise));
            }
            var (refinedMean, refinedLogVariance) = refiner.Refine(observed, mean, logVariance, steps, learningRate, samples, noise);
            using (no_grad()) optimized.AddRange(Elbos(refiner, observed, refinedMean, refinedLogVariance, evaluationNoise));
        }
        if (amortized.Count == 0) throw new InvalidOperationException("The data has no rows.");
        return new AmortizationGapResult(amortized.ToArray(), optimized.ToArray(), steps, EvaluationSamples);
    }

    private static IEnumerable<double> Elbos(PosteriorRefiner refiner, Observation observed, Tensor mean, Tensor logVariance, Tensor noise)
    {
        using var negative = refiner.NegativeElbo(observed, mean, logVariance, noise);
        using var asDouble = negative.to(ScalarType.Float64);
        return asDouble.data<double>().ToArray().Select(v => -v);
    }
}
