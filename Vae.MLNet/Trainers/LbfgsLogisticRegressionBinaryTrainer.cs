namespace Vae.MLNet.Trainers;

/// <summary>
/// Binary logistic regression trained with L-BFGS (OWL-QN when L1 is positive). Its probability output is
/// <c>sigmoid(score)</c>, i.e. a <see cref="Calibrators.PlattCalibrator"/> with slope -1 and offset 0.
/// </summary>
/// <remarks>Labels: a row is positive when its label is greater than 0. See <see cref="LbfgsOptionsBase"/> for the objective.</remarks>
public sealed partial class LbfgsLogisticRegressionBinaryTrainer
{
    /// <summary>Options for <see cref="LbfgsLogisticRegressionBinaryTrainer"/>.</summary>
    public sealed class Options : LbfgsOptionsBase
    {
    }
}
