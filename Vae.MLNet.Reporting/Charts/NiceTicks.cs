namespace Vae.MLNet.Reporting.Charts;

/// <summary>
/// Round tick steps (1, 2 or 5 times a power of ten) so that axes read easily: the smallest such step whose ticks
/// cover the data in at most the wanted number of ticks.
/// </summary>
internal static class NiceTicks
{
    private static readonly double[] Mantissas = [1, 2, 5];

    /// <summary>
    /// The smallest step 1, 2 or 5 × 10^k (and at least <paramref name="minStep"/>) for which the multiples of the step
    /// from ⌊min/step⌋ to ⌈max/step⌉ are at most <paramref name="maxTicks"/> values.
    /// </summary>
    public static double Step(double min, double max, int maxTicks, double minStep = 0) =>
        Search(min, max, maxTicks, minStep, step => Math.Ceiling(max / step - 1e-9) - Math.Floor(min / step + 1e-9) + 1);

    /// <summary>The smallest round step whose count of ticks (as <paramref name="ticks"/> counts them) fits <paramref name="maxTicks"/>.</summary>
    private static double Search(double min, double max, int maxTicks, double minStep, Func<double, double> ticks)
    {
        if (!(max > min) || !double.IsFinite(min) || !double.IsFinite(max))
            throw new ArgumentException($"Expected finite min < max, got [{min}, {max}].", nameof(max));
        if (maxTicks < 2) throw new ArgumentOutOfRangeException(nameof(maxTicks), maxTicks, "At least 2 ticks are needed.");
        // Start one decade below the rough step so the search sees every candidate that could fit.
        double power = Math.Pow(10, Math.Floor(Math.Log10((max - min) / maxTicks)) - 1);
        while (true)
        {
            foreach (double m in Mantissas)
            {
                double step = m * power;
                if (step >= minStep && ticks(step) <= maxTicks) return step;
            }
            power *= 10;
        }
    }

    /// <summary>An axis whose ends are extended outwards to round ticks around the data, at least <paramref name="minStep"/> apart.</summary>
    public static Axis Around(double min, double max, int maxTicks = 6, double minStep = 0)
    {
        (min, max) = Widen(min, max);
        double step = Step(min, max, maxTicks, minStep);
        double first = Math.Floor(min / step + 1e-9) * step, last = Math.Ceiling(max / step - 1e-9) * step;
        return new Axis(first, last, Multiples(first, last, step), step);
    }

    /// <summary>An axis over exactly [min, max] (e.g. bar positions) with round ticks inside it, at least <paramref name="minStep"/> apart.</summary>
    public static Axis Within(double min, double max, int maxTicks = 6, double minStep = 0)
    {
        (min, max) = Widen(min, max);
        double step = Search(min, max, maxTicks, minStep, s => Math.Floor(max / s + 1e-9) - Math.Ceiling(min / s - 1e-9) + 1);
        double first = Math.Ceiling(min / step - 1e-9) * step, last = Math.Floor(max / step + 1e-9) * step;
        return new Axis(min, max, Multiples(first, last, step), step);
    }

    /// <summary>The finite range of values (with a margin when they are all equal); [0, 1] when there are none.</summary>
    public static (double Min, double Max) Range(IEnumerable<double> values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in values)
            if (double.IsFinite(v)) { min = Math.Min(min, v); max = Math.Max(max, v); }
        return min > max ? (0, 1) : Widen(min, max);
    }

    private static (double, double) Widen(double min, double max)
    {
        if (max > min) return (min, max);
        double margin = Math.Max(Math.Abs(min) * 0.1, 1);
        return (min - margin, max + margin);
    }

    private static double[] Multiples(double first, double last, double step)
    {
        // Whole multiples of the step (k · step, not a running sum), so rounding errors do not pile up.
        long from = (long)Math.Round(first / step), to = (long)Math.Round(last / step);
        return Enumerable.Range(0, (int)Math.Max(to - from + 1, 0)).Select(i => (from + i) * step).ToArray();
    }
}
