namespace Vae.MLNet.Trainers;

/// <summary>A regression loss SDCA can optimize. Only <see cref="SquaredLoss"/> is implemented.</summary>
public interface ISupportSdcaRegressionLoss
{
    /// <summary>The loss of predicting <paramref name="output"/> for <paramref name="label"/>.</summary>
    double Loss(float output, float label);
}

/// <summary>The squared loss <c>(output - label)^2</c>.</summary>
public sealed class SquaredLoss : ISupportSdcaRegressionLoss
{
    /// <inheritdoc/>
    public double Loss(float output, float label)
    {
        double residual = (double)output - label;
        return residual * residual;
    }
}
