namespace Vae.MLNet.Reporting.Charts;

/// <summary>A chart's size in CSS pixels and roughly how many ticks each axis may carry.</summary>
internal sealed record ChartSize(double Width, double Height, int XTicks = 8, int YTicks = 6)
{
    /// <summary>A full-width chart.</summary>
    public static ChartSize Wide { get; } = new(520, 320);

    /// <summary>A small multiple, several to a row.</summary>
    public static ChartSize Small { get; } = new(340, 190, 6, 5);
}
