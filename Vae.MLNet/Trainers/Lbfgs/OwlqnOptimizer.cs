namespace Vae.MLNet.Trainers;

/// <summary>A smooth objective: returns its value at <c>x</c> and writes its gradient.</summary>
internal delegate double SmoothFunction(double[] x, double[] gradient);

/// <summary>
/// Minimizes <c>f(x) + c * sum_{j >= p} |x_j|</c> for smooth convex <c>f</c> with OWL-QN (Andrew and Gao, 2007,
/// "Scalable training of L1-regularized log-linear models"); with <c>c = 0</c> it is plain L-BFGS.
/// The first <c>p</c> coordinates (intercepts) are neither penalized nor constrained.
/// </summary>
/// <remarks>
/// Each iteration: the pseudo-gradient of the non-smooth objective; an L-BFGS direction from it, with components
/// that disagree in sign with the steepest descent zeroed; a backtracking line search along the path projected on
/// the orthant of the current point, accepting a point when
/// <c>F(x') &lt;= F(x) + gamma * pg . (x' - x)</c>. Curvature pairs use the gradient of the smooth part only.
/// Stopping follows ML.NET: the mean improvement over the last 5 iterations divided by the current value below
/// the tolerance. Non-negativity is the same machinery with every constrained coordinate's orthant fixed to positive.
/// </remarks>
internal sealed class OwlqnOptimizer
{
    private const double SufficientDecrease = 1e-4;
    private const int MaxBacktracks = 60;
    private const int ImprovementWindow = 5;

    private readonly int _historySize;
    private readonly double _tolerance;
    private readonly int _maxIterations;
    private readonly double _l1;
    private readonly int _unpenalized;
    private readonly bool _nonNegative;
    private readonly int _firstConstrained;

    public OwlqnOptimizer(int historySize, double tolerance, int maxIterations, double l1Weight, int unpenalizedCount, bool nonNegative)
    {
        _historySize = historySize;
        _tolerance = tolerance;
        _maxIterations = maxIterations;
        _l1 = l1Weight;
        _unpenalized = unpenalizedCount;
        _nonNegative = nonNegative;
        // Orthant steps only matter with an L1 term or a bound; without them this is plain L-BFGS.
        _firstConstrained = l1Weight > 0 || nonNegative ? unpenalizedCount : int.MaxValue;
    }

    /// <summary>Minimizes from <paramref name="start"/> (not modified) and returns the minimizer and a summary.</summary>
    public (double[] X, LbfgsSummary Summary) Minimize(SmoothFunction f, double[] start)
    {
        int n = start.Length;
        var x = (double[])start.Clone();
        var g = new double[n];
        var xNew = new double[n];
        var gNew = new double[n];
        var pg = new double[n];
        var dir = new double[n];
        var s = new double[n];
        var y = new double[n];
        var orthant = new double[n];
        var history = new LbfgsHistory(_historySize, n);
        var pastValues = new Queue<double>(ImprovementWindow);

        double value = f(x, g) + L1Norm(x);
        int evaluations = 1, iterations = 0;
        var termination = LbfgsTermination.MaximumIterations;
        while (iterations < _maxIterations)
        {
            PseudoGradient(x, g, pg);
            if (Norm(pg) == 0)
            {
                termination = LbfgsTermination.Converged;
                break;
            }
            if (!SearchDirection(history, pg, dir))
            {
                history.Clear();
                SearchDirection(history, pg, dir);
            }
            for (int j = 0; j < n; j++)
                orthant[j] = _nonNegative ? 1 : x[j] != 0 ? Math.Sign(x[j]) : -Math.Sign(pg[j]);

            double step = iterations == 0 ? 1 / Norm(pg) : 1;
            double newValue = double.NaN;
            bool accepted = false;
            for (int trial = 0; trial < MaxBacktracks && !accepted; trial++, step /= 2)
            {
                double predicted = 0;
                for (int j = 0; j < n; j++)
                {
                    double v = x[j] + step * dir[j];
                    xNew[j] = j >= _firstConstrained && Math.Sign(v) != orthant[j] ? 0 : v;
                    predicted += pg[j] * (xNew[j] - x[j]);
                }
                newValue = f(xNew, gNew) + L1Norm(xNew);
                evaluations++;
                accepted = newValue <= value + SufficientDecrease * predicted;
            }
            if (!accepted)
            {
                termination = LbfgsTermination.LineSearchFailed;
                break;
            }

            for (int j = 0; j < n; j++)
            {
                s[j] = xNew[j] - x[j];
                y[j] = gNew[j] - g[j];
            }
            history.Push(s, y);
            (x, xNew) = (xNew, x);
            (g, gNew) = (gNew, g);
            value = newValue;
            iterations++;
            if (ImprovementBelowTolerance(pastValues, value))
            {
                termination = LbfgsTermination.Converged;
                break;
            }
        }

        int nonZero = 0;
        for (int j = _unpenalized; j < n; j++)
            nonZero += x[j] != 0 ? 1 : 0;
        return (x, new LbfgsSummary(iterations, evaluations, value, termination, nonZero));
    }

    /// <summary>
    /// The steepest-descent-defining subgradient of the penalized objective: at zero, the one-sided derivative
    /// that allows descent, or zero when neither side does.
    /// </summary>
    private void PseudoGradient(double[] x, double[] g, double[] pg)
    {
        for (int j = 0; j < x.Length; j++)
        {
            if (j < _unpenalized)
                pg[j] = g[j];
            else if (x[j] > 0 || (x[j] == 0 && g[j] + _l1 < 0))
                pg[j] = g[j] + _l1;
            else if (x[j] < 0 || (x[j] == 0 && !_nonNegative && g[j] - _l1 > 0))
                pg[j] = g[j] - _l1;
            else
                pg[j] = 0;
        }
    }

    /// <summary>Writes <c>-H pg</c> with sign-inconsistent penalized components zeroed; false if not a descent direction.</summary>
    private bool SearchDirection(LbfgsHistory history, double[] pg, double[] dir)
    {
        for (int j = 0; j < dir.Length; j++)
            dir[j] = -pg[j];
        history.ApplyInverseHessian(dir);
        double slope = 0;
        for (int j = 0; j < dir.Length; j++)
        {
            if (j >= _firstConstrained && dir[j] * pg[j] >= 0)
                dir[j] = 0;
            slope += dir[j] * pg[j];
        }
        return slope < 0;
    }

    private bool ImprovementBelowTolerance(Queue<double> pastValues, double value)
    {
        if (pastValues.Count < ImprovementWindow)
        {
            pastValues.Enqueue(value);
            return false;
        }
        double meanImprovement = (pastValues.Dequeue() - value) / ImprovementWindow;
        pastValues.Enqueue(value);
        return meanImprovement <= _tolerance * Math.Abs(value);
    }

    private double L1Norm(double[] x)
    {
        if (_l1 == 0)
            return 0;
        double sum = 0;
        for (int j = _unpenalized; j < x.Length; j++)
            sum += Math.Abs(x[j]);
        return _l1 * sum;
    }

    private static double Norm(double[] v) => Math.Sqrt(VectorMath.Dot(v, v));
}
