using Vae.MLNet.Acceleration;
using Vae.MLNet.Backend;
using TorchSharp;
using Vae.MLNet.Networks;
using static TorchSharp.torch;

namespace Vae.MLNet.Training;

/// <summary>
/// The VAE's part of the shared <see cref="TrainingLoop{TMetrics}"/>: the (β-weighted, warmed-up) ELBO of each batch,
/// the negative ELBO as validation loss, <see cref="VaeEpochMetrics"/>, and the probe of the latent and decoder outputs.
/// </summary>
internal sealed class VaeTrainingLoop : ITrainingTask<VaeEpochMetrics>
{
    private readonly VaeNetwork _network;
    private readonly VaeOptions _options;
    private readonly Device _device;
    private readonly Action<string> _log;
    private readonly TrainingObjective _objective;
    private double _klWeight, _lossSum, _reconstructionSum, _klSum;

    public VaeTrainingLoop(VaeNetwork network, VaeOptions options, Device device, Action<string> log)
    {
        _network = network;
        _options = options;
        _device = device;
        _log = log;
        _objective = new TrainingObjective(network, options);
    }

    /// <summary>Trains with the shared loop (see <see cref="TrainingLoop{TMetrics}.Run"/>).</summary>
    public IReadOnlyList<VaeEpochMetrics> Run(IBatchSource training, IBatchSource? validation, int seed, Generator generator, TrainingCheckpoint? checkpoint,
        IBatchSource? probe = null) =>
        new TrainingLoop<VaeEpochMetrics>(this, _options, _options.Progress, _log).Run(training, validation, seed, generator, checkpoint, probe);

    public nn.Module Network => _network;

    public string ModelName => "the VAE";

    public string InputColumnName => _options.InputColumnName;

    public bool UsesBatchNorm => _options.UseBatchNorm;

    public IAcceleration Acceleration => _network.Acceleration;

    public string DivergenceRemedy => "Lower LearningRate, normalize the input column, set GradientClipNorm, or narrow LogVarianceClamp.";

    public string LikelyCauses =>
        "the likely cause is a LearningRate too large for the data (lower it, or set GradientClipNorm) or an input column " +
        "with large or unnormalized values (normalize it, e.g. NormalizeMeanVariance or NormalizeMinMax)" +
        (_options.UseBatchNorm ? ", or a mini-batch of one row with UseBatchNorm" : "") + ".";

    public void BeginEpoch(int epoch)
    {
        _klWeight = _options.Beta * (_options.KlWarmupEpochs > 0 ? Math.Min(1.0, (double)epoch / _options.KlWarmupEpochs) : 1.0);
        _lossSum = _reconstructionSum = _klSum = 0;
    }

    public BatchLoss Loss(RowBatch batch)
    {
        var objective = _objective.Compute(batch.ToObservation(_device), _klWeight);
        double loss = objective.Loss.item<float>();
        _lossSum += objective.LossSum;
        _reconstructionSum += objective.ReconstructionSum;
        _klSum += objective.KlSum;
        return new BatchLoss(objective.Loss, loss);
    }

    public VaeEpochMetrics EndEpoch(int epoch, long rows, double? validationLoss, double seconds) =>
        new(epoch, _lossSum / rows, _reconstructionSum / rows, _klSum / rows, validationLoss, seconds);

    /// <summary>The summed negative ELBO (β = 1, one sample of z) of a batch.</summary>
    public double ValidationLossSum(RowBatch batch)
    {
        var observed = batch.ToObservation(_device);
        var (mean, logVariance) = _network.Encode(observed.X, observed.Condition);
        if (_network.Flow is not null || _network.IterativeInference is not null)
            return Networks.Flows.PosteriorSamples.ValidationNegativeElbo(_network, observed, mean, logVariance);
        var output = _network.Decode(VaeNetwork.Reparameterize(mean, logVariance), observed.Condition);
        var terms = Elbo.Compute(output, observed.X, mean, logVariance, _network.ObservationLogVariance(), _options.Likelihood, 1.0, observation: _network.Observation);
        return terms.ReconstructionPerRow.Plus(terms.KlPerRow).sum().ToDouble();
    }

    public void CheckOutputs(RowBatch batch)
    {
        var observed = batch.ToObservation(_device);
        var (mean, logVariance) = _network.Encode(observed.X, observed.Condition);
        TrainedModelCheck.ThrowIfNonFinite(mean, "the latent mean", LikelyCauses);
        TrainedModelCheck.ThrowIfNonFinite(logVariance, "the latent log-variance", LikelyCauses);
        TrainedModelCheck.ThrowIfNonFinite(_network.Decode(mean, observed.Condition), "the decoder's output", LikelyCauses);
    }
}
