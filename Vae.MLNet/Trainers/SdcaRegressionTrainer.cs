using Vae.MLNet.Data;

namespace Vae.MLNet.Trainers;

/// <summary>Linear regression with the squared loss <c>(score - label)^2</c>, trained with stochastic dual coordinate ascent.</summary>
/// <remarks>See <see cref="SdcaOptionsBase"/> for the objective.</remarks>
public sealed partial class SdcaRegressionTrainer
    : TrainerEstimatorBase<RegressionPredictionTransformer<LinearRegressionModelParameters>, LinearRegressionModelParameters>
{
    private readonly Options _options;

    internal SdcaRegressionTrainer(MLContext context, Options options) : base(context, options, PredictionKind.Regression)
    {
        options.Validate();
        if (options.LossFunction is not (null or SquaredLoss))
            throw new ArgumentException($"SDCA regression supports only {nameof(SquaredLoss)}; got a {options.LossFunction.GetType().Name}.", nameof(options));
        _options = options;
    }

    private protected override bool ShufflesRows => _options.Shuffle;

    private protected override RegressionPredictionTransformer<LinearRegressionModelParameters> Train(
        ITrainingRows rows, DataViewSchema.Column features, DataViewSchema.Column label, LoggingChannel channel)
    {
        var (model, summary) = SdcaSolver.TrainRegression(rows, _options, Context.NextSeed());
        channel.Info(SummaryText.Describe(summary));
        return new(new LinearRegressionModelParameters(model.Weights, model.Bias), features.Name, features.Type);
    }

    /// <summary>Options for <see cref="SdcaRegressionTrainer"/>; as in ML.NET, tolerance 0.01 and an unregularized bias by default.</summary>
    public sealed class Options : SdcaOptionsBase
    {
        /// <summary>Creates options with the regression defaults: <c>ConvergenceTolerance = 0.01</c>, <c>BiasLearningRate = 1</c>.</summary>
        public Options()
        {
            ConvergenceTolerance = 0.01f;
            BiasLearningRate = 1;
        }

        /// <summary>The loss to minimize; <see langword="null"/> (the default) or a <see cref="SquaredLoss"/>, the only one supported.</summary>
        public ISupportSdcaRegressionLoss? LossFunction;
    }
}
