using ScottPlot;

namespace Vae.MLNet.Reporting.Charts;

/// <summary>How one class of the latent plot is drawn, and its name in the legend.</summary>
internal sealed record ClassStyle(string Name, Color Color, MarkerShape Marker)
{
    /// <summary>
    /// The style of class <paramref name="index"/>: colours cycle through the palette and each further round of
    /// colours gets the next marker shape, so 32 classes stay apart.
    /// </summary>
    public static ClassStyle Of(int index, string name) =>
        new(name, ChartLook.Categorical[index % ChartLook.Categorical.Count], ChartLook.Markers[index / ChartLook.Categorical.Count % ChartLook.Markers.Count]);
}
