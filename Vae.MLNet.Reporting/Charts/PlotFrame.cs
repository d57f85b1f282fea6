namespace Vae.MLNet.Reporting.Charts;

/// <summary>
/// The plot area of a chart and the mapping from data to SVG coordinates; draws the grid, both axes with their
/// ticks and tick labels, and the axis titles.
/// </summary>
internal sealed class PlotFrame
{
    private const double MarginLeft = 58, MarginRight = 14, MarginTop = 10, MarginBottom = 42, TickLength = 5;

    /// <summary>A frame filling a <paramref name="width"/>×<paramref name="height"/> chart.</summary>
    public PlotFrame(double width, double height, Axis x, Axis y)
    {
        Width = width;
        Height = height;
        XAxis = x;
        YAxis = y;
    }

    /// <summary>The width-to-height ratio of the plot area of a <paramref name="width"/>×<paramref name="height"/> chart.</summary>
    public static double AreaAspect(double width, double height) =>
        (width - MarginLeft - MarginRight) / (height - MarginTop - MarginBottom);

    /// <summary>The chart's width.</summary>
    public double Width { get; }

    /// <summary>The chart's height.</summary>
    public double Height { get; }

    /// <summary>The horizontal axis.</summary>
    public Axis XAxis { get; }

    /// <summary>The vertical axis.</summary>
    public Axis YAxis { get; }

    /// <summary>The left edge of the plot area.</summary>
    public double Left => MarginLeft;

    /// <summary>The right edge of the plot area.</summary>
    public double Right => Width - MarginRight;

    /// <summary>The top edge of the plot area.</summary>
    public double Top => MarginTop;

    /// <summary>The bottom edge of the plot area.</summary>
    public double Bottom => Height - MarginBottom;

    /// <summary>The horizontal position of data value <paramref name="value"/>.</summary>
    public double X(double value) => Left + XAxis.Fraction(value) * (Right - Left);

    /// <summary>The vertical position of data value <paramref name="value"/> (SVG's y grows downwards).</summary>
    public double Y(double value) => Bottom - YAxis.Fraction(value) * (Bottom - Top);

    /// <summary>A new SVG with the grid, axes and titles drawn; the caller adds the data on top.</summary>
    public Svg Begin(string description, string xTitle, string yTitle)
    {
        var svg = new Svg(Width, Height, description);
        foreach (double t in YAxis.Ticks)
        {
            double y = Y(t);
            svg.Line(Left, y, Right, y, "grid");
            svg.Line(Left - TickLength, y, Left, y, "axis");
            svg.Text(Left - TickLength - 3, y + 4, YAxis.Label(t), "tick", "end");
        }
        foreach (double t in XAxis.Ticks)
        {
            double x = X(t);
            svg.Line(x, Bottom, x, Bottom + TickLength, "axis");
            svg.Text(x, Bottom + TickLength + 12, XAxis.Label(t), "tick");
        }
        svg.Line(Left, Bottom, Right, Bottom, "axis");
        svg.Line(Left, Top, Left, Bottom, "axis");
        svg.Text((Left + Right) / 2, Height - 6, xTitle, "axis-title");
        svg.Text(14, (Top + Bottom) / 2, yTitle, "axis-title", rotate: -90);
        return svg;
    }
}
