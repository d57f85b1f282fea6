namespace Vae.MLNet.Trainers;

/// <summary>
/// Binary logistic regression trained with stochastic dual coordinate ascent. Its probability output is
/// <c>sigmoid(score)</c>, i.e. a <see cref="Calibrators.PlattCalibrator"/> with slope -1 and offset 0.
/// </summary>
/// <remarks>Labels: a row is positive when its label is greater than 0. See <see cref="SdcaOptionsBase"/> for the objective.</remarks>
public sealed partial class SdcaLogisticRegressionBinaryTrainer
{
    /// <summary>Options for <see cref="SdcaLogisticRegressionBinaryTrainer"/>.</summary>
    public sealed class Options : SdcaOptionsBase
    {
        /// <summary>Weight multiplying every positive example's weight, for imbalanced data. Default 1.</summary>
        public float PositiveInstanceWeight = 1;
    }
}
