namespace Vae.MLNet.Trainers;

/// <summary>ML.NET's squared loss <c>(z - y)^2</c>; its dual is <c>alpha y - alpha^2 / 4</c> with a closed-form coordinate step.</summary>
internal sealed class SdcaSquaredLoss : ISdcaLoss
{
    public double Loss(ReadOnlySpan<double> outputs, float label)
    {
        double residual = outputs[0] - label;
        return residual * residual;
    }

    public double DualLoss(ReadOnlySpan<double> dual, float label) => dual[0] * label - dual[0] * dual[0] / 4;

    public void MaximizeDual(ReadOnlySpan<double> outputs, float label, Span<double> dual, double curvature) =>
        dual[0] += (label - outputs[0] - dual[0] / 2) / (0.5 + curvature);

    public double FeasibleShift(ReadOnlySpan<double> dual, ReadOnlySpan<double> shift, float label) => 1;
}
