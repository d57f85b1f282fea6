namespace Vae.MLNet.Trainers;

/// <summary>
/// The multiclass softmax (maximum entropy) loss <c>logsumexp(z) - z_label</c>. A row's dual block is
/// <c>alpha = e_label - p</c> with <c>p</c> a probability vector, and its dual loss is the entropy of <c>p</c>.
/// </summary>
/// <remarks>
/// The block maximization reduces to one dimension: stationarity gives <c>log p'_k + a p'_k = z_k + a p_k - mu</c>
/// for each class, with the multiplier <c>mu</c> making <c>p'</c> sum to one. Each <c>p'_k(mu)</c> is the root of a
/// monotone 1-D equation and their sum is convex and decreasing in <c>mu</c>, so Newton's method on <c>mu</c> from a
/// point left of the root, with inner Newton solves from the right, converges monotonically.
/// </remarks>
internal sealed class SdcaSoftmaxLoss(int classCount) : ISdcaLoss
{
    private const int MaxNewtonSteps = 100;
    private const double Tolerance = 1e-12;
    private readonly double[] _centres = new double[classCount];
    private readonly double[] _probabilities = new double[classCount];

    public double Loss(ReadOnlySpan<double> outputs, float label) => LogisticMath.LogSumExp(outputs) - outputs[(int)label];

    public double DualLoss(ReadOnlySpan<double> dual, float label)
    {
        double entropy = 0;
        for (int c = 0; c < dual.Length; c++)
        {
            double p = Probability(dual, label, c);
            entropy -= p > 0 ? p * Math.Log(p) : 0;
        }
        return entropy;
    }

    public void MaximizeDual(ReadOnlySpan<double> outputs, float label, Span<double> dual, double curvature)
    {
        double a = curvature, max = double.NegativeInfinity;
        for (int c = 0; c < dual.Length; c++)
        {
            _centres[c] = outputs[c] + a * Probability(dual, label, c);
            max = Math.Max(max, _centres[c]);
        }
        // At mu = max - a the largest class alone has p' = 1, so the sum starts at or above one.
        double mu = max - a;
        for (int step = 0; step < MaxNewtonSteps; step++)
        {
            double sum = 0, slope = 0;
            for (int c = 0; c < dual.Length; c++)
            {
                double p = SolveClass(_centres[c] - mu, a);
                _probabilities[c] = p;
                sum += p;
                slope += p / (1 + a * p);
            }
            // The iterates rise monotonically, so a step that is tiny or no longer positive means rounding is reached.
            double change = (sum - 1) / slope;
            if (!(change > Tolerance * (1 + Math.Abs(mu))))
                break;
            mu += change;
        }
        double total = _probabilities.Sum();
        for (int c = 0; c < dual.Length; c++)
            dual[c] = (c == (int)label ? 1 : 0) - _probabilities[c] / total;
    }

    public double FeasibleShift(ReadOnlySpan<double> dual, ReadOnlySpan<double> shift, float label)
    {
        // p moves by +shift; keep every probability above half its current value.
        double room = 1;
        for (int c = 0; c < dual.Length; c++)
        {
            if (shift[c] < 0)
                room = Math.Min(room, Probability(dual, label, c) / (-2 * shift[c]));
        }
        return room;
    }

    private static double Probability(ReadOnlySpan<double> dual, float label, int c) =>
        Math.Max(0, (c == (int)label ? 1 : 0) - dual[c]);

    /// <summary>
    /// Returns <c>t</c> solving <c>log t + a t = v</c> (a &gt; 0), by Newton's method on <c>u = log t</c> from a point
    /// right of the root, where the convex increasing <c>u + a e^u - v</c> makes the iterates fall monotonically.
    /// </summary>
    /// <remarks>
    /// The start is right of the root yet keeps <c>a e^u &lt;= max(v, a)</c>, so nothing overflows: <c>log(v / a)</c>
    /// when <c>v &gt;= a</c> (the residual there is <c>log(v / a) &gt;= 0</c>), else <c>min(v, 0)</c>.
    /// </remarks>
    private static double SolveClass(double v, double a)
    {
        double u = v >= a ? Math.Min(v, Math.Log(v / a)) : Math.Min(v, 0);
        for (int step = 0; step < MaxNewtonSteps; step++)
        {
            double at = a * Math.Exp(u);
            double change = (u + at - v) / (1 + at);
            if (!(change > Tolerance * (1 + Math.Abs(u))))
                break;
            u -= change;
        }
        return Math.Exp(u);
    }
}
