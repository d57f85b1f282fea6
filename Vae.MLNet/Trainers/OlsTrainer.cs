using Vae.MLNet.Data;

namespace Vae.MLNet.Trainers;

/// <summary>
/// Ordinary least squares linear regression, solved exactly from the normal equations (Cholesky, double precision).
/// </summary>
/// <remarks>
/// Minimizes <c>sum_i s_i (w.x_i + b - y_i)^2 + L2Regularization^2 * S * |w|^2</c> with <c>S</c> the sum of example
/// weights (the row count when unweighted): as in ML.NET the ridge term grows with the data so the same setting
/// means the same model however often the data is repeated. The intercept is not regularized.
/// </remarks>
public sealed partial class OlsTrainer
    : TrainerEstimatorBase<RegressionPredictionTransformer<OlsModelParameters>, OlsModelParameters>
{
    private readonly Options _options;

    internal OlsTrainer(MLContext context, Options options) : base(context, options, PredictionKind.Regression)
    {
        options.Validate();
        _options = options;
    }

    private protected override RegressionPredictionTransformer<OlsModelParameters> Train(
        ITrainingRows rows, DataViewSchema.Column features, DataViewSchema.Column label, LoggingChannel channel)
    {
        var result = OlsSolver.Train(rows, _options);
        channel.Info(SummaryText.Describe(result));
        return new(new OlsModelParameters(result), features.Name, features.Type);
    }

    /// <summary>Options for <see cref="OlsTrainer"/>.</summary>
    public sealed class Options : TrainerInputBaseWithWeight
    {
        /// <summary>L2 (ridge) regularization weight; a small positive value keeps the system solvable. Default 1e-6.</summary>
        public float L2Regularization = 1e-6f;

        /// <summary>Compute per-parameter standard errors, t-values and p-values. Default true.</summary>
        public bool CalculateStatistics = true;

        internal void Validate() =>
            OptionChecks.Require(L2Regularization >= 0, nameof(L2Regularization), L2Regularization, "non-negative");
    }
}
