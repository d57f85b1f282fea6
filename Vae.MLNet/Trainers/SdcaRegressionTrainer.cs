namespace Vae.MLNet.Trainers;

/// <summary>Linear regression with the squared loss <c>(score - label)^2</c>, trained with stochastic dual coordinate ascent.</summary>
/// <remarks>See <see cref="SdcaOptionsBase"/> for the objective.</remarks>
public sealed partial class SdcaRegressionTrainer
{
    /// <summary>Options for <see cref="SdcaRegressionTrainer"/>; as in ML.NET, tolerance 0.01 and an unregularized bias by default.</summary>
    public sealed class Options : SdcaOptionsBase
    {
        /// <summary>Creates options with the regression defaults: <c>ConvergenceTolerance = 0.01</c>, <c>BiasLearningRate = 1</c>.</summary>
        public Options()
        {
            ConvergenceTolerance = 0.01f;
            BiasLearningRate = 1;
        }
    }
}
