namespace Vae.MLNet.Data;

/// <summary>Evaluation results for regression models.</summary>
public sealed class RegressionMetrics
{
    internal RegressionMetrics(double meanAbsoluteError, double meanSquaredError, double lossFunction, double rSquared)
    {
        MeanAbsoluteError = meanAbsoluteError;
        MeanSquaredError = meanSquaredError;
        RootMeanSquaredError = Math.Sqrt(meanSquaredError);
        LossFunction = lossFunction;
        RSquared = rSquared;
    }

    /// <summary>Mean of <c>|label - score|</c>.</summary>
    public double MeanAbsoluteError { get; }

    /// <summary>Mean of <c>(label - score)^2</c>.</summary>
    public double MeanSquaredError { get; }

    /// <summary>Square root of <see cref="MeanSquaredError"/>.</summary>
    public double RootMeanSquaredError { get; }

    /// <summary>Mean of the evaluation loss function; the squared loss, so equal to <see cref="MeanSquaredError"/>.</summary>
    public double LossFunction { get; }

    /// <summary>Coefficient of determination <c>1 - SSE / SST</c>; can be negative for a model worse than the mean.</summary>
    public double RSquared { get; }
}
