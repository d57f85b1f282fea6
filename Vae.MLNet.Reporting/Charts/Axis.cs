namespace Vae.MLNet.Reporting.Charts;

/// <summary>A linear axis: its domain, the values that get a tick, and how tick labels are written.</summary>
internal sealed class Axis
{
    private readonly double _step;

    /// <summary>An axis over [<paramref name="min"/>, <paramref name="max"/>] with ticks a step of <paramref name="step"/> apart.</summary>
    public Axis(double min, double max, IReadOnlyList<double> ticks, double step)
    {
        Min = min;
        Max = max;
        Ticks = ticks;
        _step = step;
    }

    /// <summary>The value at the start of the axis.</summary>
    public double Min { get; }

    /// <summary>The value at the end of the axis.</summary>
    public double Max { get; }

    /// <summary>The values that get a tick and a label.</summary>
    public IReadOnlyList<double> Ticks { get; }

    /// <summary>A tick value written with the axis's precision and a true minus sign.</summary>
    public string Label(double value) => Format(value, _step);

    /// <summary>
    /// <paramref name="value"/> with just enough decimals to tell apart numbers <paramref name="step"/> apart (a step
    /// of 0.05 needs two) and a true minus sign.
    /// </summary>
    public static string Format(double value, double step) =>
        NumberText.Format(value, Math.Clamp(-(int)Math.Floor(Math.Log10(step) + 1e-9), 0, 10));

    /// <summary>Where <paramref name="value"/> falls on the axis, 0 at <see cref="Min"/> and 1 at <see cref="Max"/>.</summary>
    public double Fraction(double value) => (value - Min) / (Max - Min);
}
