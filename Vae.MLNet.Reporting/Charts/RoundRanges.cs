using System.Globalization;

namespace Vae.MLNet.Reporting.Charts;

/// <summary>
/// Equal ranges with round edges (a step of 1, 2 or 5 times a power of ten) that cover a span of values in at most a
/// given number of ranges: how many distinct numbers (a regression target) become legend classes.
/// </summary>
internal sealed record RoundRanges(double First, double Step, int Count)
{
    /// <summary>The fewest-edge round ranges covering [<paramref name="min"/>, <paramref name="max"/>] in at most <paramref name="maxRanges"/>.</summary>
    public static RoundRanges Cover(double min, double max, int maxRanges)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max) throw new ArgumentException($"Expected finite min ≤ max, got [{min}, {max}].", nameof(max));
        if (max == min) (min, max) = (min - Math.Max(Math.Abs(min) * 0.1, 1), max + Math.Max(Math.Abs(max) * 0.1, 1));
        // Start a decade below the rough step, so the search sees every candidate that could fit.
        double power = Math.Pow(10, Math.Floor(Math.Log10((max - min) / maxRanges)) - 1);
        while (true)
        {
            foreach (double m in (double[])[1, 2, 5])
            {
                double step = m * power;
                long first = (long)Math.Floor(min / step + 1e-9), last = (long)Math.Ceiling(max / step - 1e-9);
                if (last - first <= maxRanges) return new(first * step, step, (int)Math.Max(last - first, 1));
            }
            power *= 10;
        }
    }

    /// <summary>The lower edge of range <paramref name="i"/> (<paramref name="i"/> = Count gives the upper end).</summary>
    public double Edge(int i) => First + i * Step;

    /// <summary>The range <paramref name="value"/> falls in (the ends clamp).</summary>
    public int Of(double value) => Math.Clamp((int)Math.Floor((value - First) / Step), 0, Count - 1);

    /// <summary>An edge printed with just the decimals the step needs.</summary>
    public string Label(double edge)
    {
        int decimals = Math.Max(0, (int)Math.Ceiling(-Math.Log10(Step) - 1e-9));
        return NumberText.Format(edge, decimals);
    }
}
