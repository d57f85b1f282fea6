namespace Vae.MLNet.Reporting.Charts;

/// <summary>The shapes that tell classes apart beyond the palette's colours.</summary>
internal enum MarkerShape
{
    /// <summary>A disc.</summary>
    Circle,
    /// <summary>A square.</summary>
    Square,
    /// <summary>An upward triangle.</summary>
    Triangle,
    /// <summary>A diamond.</summary>
    Diamond,
}

/// <summary>How one series or class is drawn, and its name in the legend.</summary>
internal sealed record SeriesStyle(string Name, string Color, bool Dashed = false, MarkerShape Marker = MarkerShape.Circle);
