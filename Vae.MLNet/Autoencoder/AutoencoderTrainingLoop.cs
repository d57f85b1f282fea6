using Vae.MLNet.Acceleration;
using TorchSharp;
using Vae.MLNet.Backend;
using Vae.MLNet.Training;
using static TorchSharp.torch;

namespace Vae.MLNet.Autoencoder;

/// <summary>
/// The autoencoder's part of the shared <see cref="TrainingLoop{TMetrics}"/>: the regularized reconstruction loss of
/// each batch, the clean reconstruction loss as validation loss, <see cref="AutoencoderEpochMetrics"/>, and the probe
/// of the code and decoder outputs.
/// </summary>
internal sealed class AutoencoderTrainingLoop : ITrainingTask<AutoencoderEpochMetrics>
{
    private readonly AutoencoderNetwork _network;
    private readonly AutoencoderOptions _options;
    private readonly Action<string> _log;
    private readonly AutoencoderObjective _objective;
    private double _lossSum, _reconstructionSum, _sparsitySum, _contractiveSum;

    public AutoencoderTrainingLoop(AutoencoderNetwork network, AutoencoderOptions options, Action<string> log)
    {
        _network = network;
        _options = options;
        _log = log;
        _objective = new AutoencoderObjective(network, options);
    }

    /// <summary>Trains with the shared loop (see <see cref="TrainingLoop{TMetrics}.Run"/>).</summary>
    public IReadOnlyList<AutoencoderEpochMetrics> Run(IBatchSource training, IBatchSource? validation, int seed, Generator generator, TrainingCheckpoint? checkpoint,
        IBatchSource? probe = null) =>
        new TrainingLoop<AutoencoderEpochMetrics>(this, _options, _options.Progress, _log).Run(training, validation, seed, generator, checkpoint, probe);

    public nn.Module Network => _network;

    public string ModelName => "the autoencoder";

    public string InputColumnName => _options.InputColumnName;

    public bool UsesBatchNorm => false;

    public IAcceleration Acceleration => _network.Acceleration;

    public string DivergenceRemedy => "Lower LearningRate, normalize the input column, set GradientClipNorm, or lower SparsityWeight and ContractiveWeight.";

    public string LikelyCauses =>
        "the likely cause is a LearningRate too large for the data (lower it, or set GradientClipNorm) or an input column with large or unnormalized " +
        "values (normalize it, e.g. NormalizeMeanVariance or NormalizeMinMax).";

    public void BeginEpoch(int epoch) => _lossSum = _reconstructionSum = _sparsitySum = _contractiveSum = 0;

    public BatchLoss Loss(RowBatch batch)
    {
        var terms = _objective.Compute(batch.ToObservation().X);
        _lossSum += terms.LossSum;
        _reconstructionSum += terms.ReconstructionSum;
        _sparsitySum += terms.SparsitySum;
        _contractiveSum += terms.ContractiveSum;
        return new BatchLoss(terms.Loss, terms.LossSum / batch.Rows);
    }

    public AutoencoderEpochMetrics EndEpoch(int epoch, long rows, double? validationLoss, double seconds) =>
        new(epoch, _lossSum / rows, _reconstructionSum / rows, _sparsitySum / rows, _contractiveSum / rows, seconds) { ValidationLoss = validationLoss };

    /// <summary>The reconstruction loss of the clean rows of a batch, without the penalties, summed.</summary>
    public double ValidationLossSum(RowBatch batch)
    {
        var x = batch.ToObservation().X;
        return AutoencoderObjective.ReconstructionPerRow(_network.Decode(_network.Encode(x)), x, _network.Spec.Likelihood).sum().ToDouble();
    }

    public void CheckOutputs(RowBatch batch)
    {
        var code = _network.Encode(batch.ToObservation().X);
        TrainedModelCheck.ThrowIfNonFinite(code, "the code", LikelyCauses);
        TrainedModelCheck.ThrowIfNonFinite(_network.Decode(code), "the decoder's output", LikelyCauses);
    }
}
