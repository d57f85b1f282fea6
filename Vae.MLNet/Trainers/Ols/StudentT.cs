namespace Vae.MLNet.Trainers;

/// <summary>Two-sided p-values of Student's t distribution, through the regularized incomplete beta function.</summary>
internal static class StudentT
{
    /// <summary>
    /// <c>P(|T| &gt;= |t|)</c> for <paramref name="degreesOfFreedom"/> degrees of freedom:
    /// <c>I_{v / (v + t^2)}(v / 2, 1 / 2)</c>.
    /// </summary>
    public static double TwoSidedPValue(double t, double degreesOfFreedom)
    {
        if (double.IsNaN(t))
            return double.NaN;
        double v = degreesOfFreedom;
        return RegularizedIncompleteBeta(v / 2, 0.5, v / (v + t * t));
    }

    /// <summary>
    /// <c>I_x(a, b)</c> by its continued fraction (evaluated with the modified Lentz method), using the symmetry
    /// <c>I_x(a, b) = 1 - I_{1-x}(b, a)</c> where the fraction converges slowly.
    /// </summary>
    public static double RegularizedIncompleteBeta(double a, double b, double x)
    {
        if (x <= 0)
            return 0;
        if (x >= 1)
            return 1;
        if (x > (a + 1) / (a + b + 2))
            return 1 - RegularizedIncompleteBeta(b, a, 1 - x);
        double front = Math.Exp(a * Math.Log(x) + b * Math.Log(1 - x) - LogBeta(a, b)) / a;
        return front * BetaContinuedFraction(a, b, x);
    }

    private static double BetaContinuedFraction(double a, double b, double x)
    {
        const double tiny = 1e-300;
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.Abs(d) < tiny ? tiny : d);
        double result = d;
        for (int m = 1; m <= 500; m++)
        {
            // Even and odd terms of the fraction 1 / (1 + d1 / (1 + d2 / ...)).
            double even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            double odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
            foreach (double term in (ReadOnlySpan<double>)[even, odd])
            {
                d = 1 + term * d;
                d = 1 / (Math.Abs(d) < tiny ? tiny : d);
                c = 1 + term / c;
                c = Math.Abs(c) < tiny ? tiny : c;
                result *= c * d;
            }
            if (Math.Abs(c * d - 1) < 1e-15)
                break;
        }
        return result;
    }

    private static double LogBeta(double a, double b) => LogGamma(a) + LogGamma(b) - LogGamma(a + b);

    /// <summary><c>log Gamma(x)</c> for <c>x &gt; 0</c>: Stirling's series after shifting the argument above 10.</summary>
    internal static double LogGamma(double x)
    {
        double shift = 0;
        while (x < 10)
        {
            shift -= Math.Log(x);
            x += 1;
        }
        double inverse = 1 / x, inverseSquared = inverse * inverse;
        double series = inverse * (1.0 / 12 - inverseSquared * (1.0 / 360 - inverseSquared * (1.0 / 1260 - inverseSquared / 1680)));
        return shift + (x - 0.5) * Math.Log(x) - x + 0.5 * Math.Log(2 * Math.PI) + series;
    }
}
