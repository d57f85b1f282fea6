using Vae.MLNet.Calibrators;
using Vae.MLNet.Data;

namespace Vae.MLNet.Trainers;

/// <summary>
/// Binary logistic regression trained with L-BFGS (OWL-QN when L1 is positive). Its probability output is
/// <c>sigmoid(score)</c>, i.e. a <see cref="Calibrators.PlattCalibrator"/> with slope -1 and offset 0.
/// </summary>
/// <remarks>Labels: a row is positive when its label is greater than 0. See <see cref="LbfgsOptionsBase"/> for the objective.</remarks>
public sealed partial class LbfgsLogisticRegressionBinaryTrainer
    : TrainerEstimatorBase<BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>>, CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>>
{
    private readonly Options _options;

    internal LbfgsLogisticRegressionBinaryTrainer(MLContext context, Options options) : base(context, options, PredictionKind.Binary)
    {
        options.Validate();
        _options = options;
    }

    private protected override BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> Train(
        ITrainingRows rows, DataViewSchema.Column features, DataViewSchema.Column label, LoggingChannel channel)
    {
        var (model, summary) = LbfgsSolver.TrainBinary(rows, _options);
        channel.Info(SummaryText.Describe(summary));
        return new(LogisticModel.Calibrated(model), features.Name, features.Type);
    }

    /// <summary>Options for <see cref="LbfgsLogisticRegressionBinaryTrainer"/>.</summary>
    public sealed class Options : LbfgsOptionsBase
    {
    }
}
