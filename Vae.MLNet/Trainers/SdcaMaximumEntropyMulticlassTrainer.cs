using Vae.MLNet.Data;

namespace Vae.MLNet.Trainers;

/// <summary>
/// Multiclass maximum entropy (softmax over per-class linear scores) trained with stochastic dual coordinate ascent.
/// </summary>
/// <remarks>
/// Labels are 0-based class indices. Each row's dual block is a probability vector and is maximized exactly
/// (the softmax loss's conjugate is the negative entropy), so the optimum is the same as
/// <see cref="LbfgsMaximumEntropyMulticlassTrainer"/>'s for matching regularization. (ML.NET's own implementation
/// instead sums a binary log loss over each pair of true and other class; this one optimizes the softmax likelihood
/// whose probabilities it reports.)
/// See <see cref="SdcaOptionsBase"/> for the objective.
/// </remarks>
public sealed partial class SdcaMaximumEntropyMulticlassTrainer
    : TrainerEstimatorBase<MulticlassPredictionTransformer<MaximumEntropyModelParameters>, MaximumEntropyModelParameters>
{
    private readonly Options _options;

    internal SdcaMaximumEntropyMulticlassTrainer(MLContext context, Options options) : base(context, options, PredictionKind.Multiclass)
    {
        options.Validate();
        _options = options;
    }

    private protected override bool ShufflesRows => _options.Shuffle;

    private protected override MulticlassPredictionTransformer<MaximumEntropyModelParameters> Train(
        ITrainingRows rows, DataViewSchema.Column features, DataViewSchema.Column label, LoggingChannel channel)
    {
        var (model, summary) = SdcaSolver.TrainMulticlass(rows, PredictionKind.ClassCount(label), _options, Context.NextSeed());
        channel.Info(SummaryText.Describe(summary));
        return new(new MaximumEntropyModelParameters(model), features.Name, features.Type, new DataViewSchema.DetachedColumn(label));
    }

    /// <summary>Options for <see cref="SdcaMaximumEntropyMulticlassTrainer"/>.</summary>
    public sealed class Options : SdcaOptionsBase
    {
    }
}
