using Vae.MLNet.Acceleration;
using TorchSharp;
using static TorchSharp.torch;

namespace Vae.MLNet.Training;

/// <summary>One batch's differentiable loss and its value per row, which the loop checks for divergence.</summary>
/// <param name="Loss">The scalar to back-propagate.</param>
/// <param name="Value">The loss per row as a number (the one read back from the tensor this batch).</param>
internal readonly record struct BatchLoss(Tensor Loss, double Value);

/// <summary>
/// What a model brings to the shared <see cref="TrainingLoop{TMetrics}"/>: its network, the per-batch objective (and
/// the epoch's sums it reports), the validation loss, the epoch metrics record and the probe of its outputs after
/// training. Everything else (batches, cancellation, divergence, clipping, Adam, validation and early stopping,
/// checkpoints, the finite-weights check, the process scope of the Fit) is the loop's.
/// </summary>
/// <typeparam name="TMetrics">The model's record of one epoch (in the history, the progress reports and checkpoints).</typeparam>
internal interface ITrainingTask<TMetrics> where TMetrics : class
{
    /// <summary>The network trained.</summary>
    nn.Module Network { get; }

    /// <summary>"the VAE", "the autoencoder": for the refusal of data without rows.</summary>
    string ModelName { get; }

    /// <summary>The input column, for the refusal of data without rows.</summary>
    string InputColumnName { get; }

    /// <summary>Whether the network has batch norm (a training split of one row is refused).</summary>
    bool UsesBatchNorm { get; }

    /// <summary>The door the network computes through: it gives the Fit's process scope (thread policy) and the Adam step.</summary>
    IAcceleration Acceleration { get; }

    /// <summary>What to do when the loss diverges, one sentence naming the options.</summary>
    string DivergenceRemedy { get; }

    /// <summary>What the post-training checks name as the likely causes of non-finite weights or outputs.</summary>
    string LikelyCauses { get; }

    /// <summary>Starts an epoch's sums (and any per-epoch schedule).</summary>
    void BeginEpoch(int epoch);

    /// <summary>The training loss of one batch in training mode, adding its terms to the epoch's sums.</summary>
    BatchLoss Loss(RowBatch batch);

    /// <summary>The epoch's metrics from its sums over <paramref name="rows"/> rows (at least one).</summary>
    TMetrics EndEpoch(int epoch, long rows, double? validationLoss, double seconds);

    /// <summary>The validation loss summed over one batch's rows (evaluation mode, no gradients).</summary>
    double ValidationLossSum(RowBatch batch);

    /// <summary>Throws when the trained network's outputs on one batch (evaluation mode, no gradients) are not finite.</summary>
    void CheckOutputs(RowBatch batch);
}
