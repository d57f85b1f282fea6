namespace Vae.MLNet.Trainers;

/// <summary>
/// The logistic loss <c>log(1 + exp(-y z))</c> with <c>y = +1</c> for labels above 0, else -1. Its dual variable is
/// <c>alpha = y beta</c> with <c>beta</c> in [0, 1] and dual loss the binary entropy of <c>beta</c> (in nats).
/// </summary>
internal sealed class SdcaLogLoss(float positiveInstanceWeight = 1) : ISdcaLoss
{
    private const int MaxNewtonSteps = 60;

    public double Weight(float label, float weight) => label > 0 ? weight * positiveInstanceWeight : weight;

    public double Loss(ReadOnlySpan<double> outputs, float label) => LogisticMath.Softplus(-Sign(label) * outputs[0]);

    public double DualLoss(ReadOnlySpan<double> dual, float label)
    {
        double beta = Math.Clamp(Sign(label) * dual[0], 0, 1);
        return -(XLogX(beta) + XLogX(1 - beta));
    }

    /// <summary>
    /// Solves the 1-D stationarity condition in the logit <c>u</c> of the new <c>beta</c>:
    /// <c>u + y z + curvature (sigmoid(u) - beta) = 0</c>. The root lies in <c>[-y z - curvature (1 - beta), -y z + curvature beta]</c>,
    /// so Newton's method is safeguarded by bisection inside that bracket.
    /// </summary>
    public void MaximizeDual(ReadOnlySpan<double> outputs, float label, Span<double> dual, double curvature)
    {
        double y = Sign(label), margin = y * outputs[0], beta = Math.Clamp(y * dual[0], 0, 1);
        double low = -margin - curvature * (1 - beta), high = -margin + curvature * beta;
        double u = beta is > 0 and < 1 ? Math.Clamp(Math.Log(beta / (1 - beta)), low, high) : -margin;
        for (int step = 0; step < MaxNewtonSteps; step++)
        {
            double p = LogisticMath.Sigmoid(u);
            double residual = u + margin + curvature * (p - beta);
            if (residual > 0)
                high = u;
            else
                low = u;
            double next = u - residual / (1 + curvature * p * (1 - p));
            if (next <= low || next >= high)
                next = (low + high) / 2;
            bool done = Math.Abs(next - u) <= 1e-12 * (1 + Math.Abs(u)) || high - low <= 1e-12 * (1 + Math.Abs(u));
            u = next;
            if (done)
                break;
        }
        dual[0] = y * LogisticMath.Sigmoid(u);
    }

    public double FeasibleShift(ReadOnlySpan<double> dual, ReadOnlySpan<double> shift, float label)
    {
        // beta moves by -y * shift; keep it within half its distance to the nearer bound of [0, 1].
        double beta = Sign(label) * dual[0], move = Sign(label) * shift[0];
        double room = move > 0 ? beta / (2 * move) : move < 0 ? (1 - beta) / (-2 * move) : 1;
        return Math.Clamp(room, 0, 1);
    }

    private static double Sign(float label) => label > 0 ? 1 : -1;

    private static double XLogX(double v) => v > 0 ? v * Math.Log(v) : 0;
}
