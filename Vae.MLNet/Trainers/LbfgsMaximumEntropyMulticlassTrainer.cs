using Vae.MLNet.Data;

namespace Vae.MLNet.Trainers;

/// <summary>
/// Multiclass maximum entropy (multinomial logistic regression, softmax over per-class linear scores) trained with
/// L-BFGS (OWL-QN when L1 is positive).
/// </summary>
/// <remarks>Labels are 0-based class indices. See <see cref="LbfgsOptionsBase"/> for the objective.</remarks>
public sealed partial class LbfgsMaximumEntropyMulticlassTrainer
    : TrainerEstimatorBase<MulticlassPredictionTransformer<MaximumEntropyModelParameters>, MaximumEntropyModelParameters>
{
    private readonly Options _options;

    internal LbfgsMaximumEntropyMulticlassTrainer(MLContext context, Options options) : base(context, options, PredictionKind.Multiclass)
    {
        options.Validate();
        _options = options;
    }

    private protected override MulticlassPredictionTransformer<MaximumEntropyModelParameters> Train(
        ITrainingRows rows, DataViewSchema.Column features, DataViewSchema.Column label, LoggingChannel channel)
    {
        var (model, summary) = LbfgsSolver.TrainMulticlass(rows, PredictionKind.ClassCount(label), _options);
        channel.Info(SummaryText.Describe(summary));
        return new(new MaximumEntropyModelParameters(model), features.Name, features.Type, new DataViewSchema.DetachedColumn(label));
    }

    /// <summary>Options for <see cref="LbfgsMaximumEntropyMulticlassTrainer"/>.</summary>
    public sealed class Options : LbfgsOptionsBase
    {
    }
}
