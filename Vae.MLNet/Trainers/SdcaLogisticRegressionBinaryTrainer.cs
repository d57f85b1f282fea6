using Vae.MLNet.Calibrators;
using Vae.MLNet.Data;

namespace Vae.MLNet.Trainers;

/// <summary>
/// Binary logistic regression trained with stochastic dual coordinate ascent. Its probability output is
/// <c>sigmoid(score)</c>, i.e. a <see cref="Calibrators.PlattCalibrator"/> with slope -1 and offset 0.
/// </summary>
/// <remarks>Labels: a row is positive when its label is greater than 0. See <see cref="SdcaOptionsBase"/> for the objective.</remarks>
public sealed partial class SdcaLogisticRegressionBinaryTrainer
    : TrainerEstimatorBase<BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>>, CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>>
{
    private readonly Options _options;

    internal SdcaLogisticRegressionBinaryTrainer(MLContext context, Options options) : base(context, options, PredictionKind.Binary)
    {
        options.Validate();
        OptionChecks.Require(options.PositiveInstanceWeight > 0, nameof(options.PositiveInstanceWeight), options.PositiveInstanceWeight, "positive");
        _options = options;
    }

    private protected override bool ShufflesRows => _options.Shuffle;

    private protected override BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> Train(
        ITrainingRows rows, DataViewSchema.Column features, DataViewSchema.Column label, LoggingChannel channel)
    {
        var (model, summary) = SdcaSolver.TrainBinary(rows, _options, Context.NextSeed());
        channel.Info(SummaryText.Describe(summary));
        return new(LogisticModel.Calibrated(model), features.Name, features.Type);
    }

    /// <summary>Options for <see cref="SdcaLogisticRegressionBinaryTrainer"/>.</summary>
    public sealed class Options : SdcaOptionsBase
    {
        /// <summary>Weight multiplying every positive example's weight, for imbalanced data. Default 1.</summary>
        public float PositiveInstanceWeight = 1;
    }
}
