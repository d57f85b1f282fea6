using ScottPlot;

namespace Vae.MLNet.Reporting.Charts;

/// <summary>
/// A ScottPlot chart of the report, its size on the page in CSS pixels, and a text alternative. It is rendered as an
/// inline PNG at twice that size (ScottPlot's scale factor 2), so it stays sharp on high-density screens.
/// </summary>
internal sealed record Chart(string Name, Plot Plot, int Width, int Height, string Alt)
{
    /// <summary>Pixels per CSS pixel in the PNG.</summary>
    public const int Density = 2;

    /// <summary>The chart as PNG bytes, <see cref="Density"/> times its page size.</summary>
    public byte[] Png()
    {
        Plot.ScaleFactor = Density;
        return Plot.GetImageBytes(Width * Density, Height * Density, ImageFormat.Png);
    }

    /// <summary>The chart as an <c>img</c> element with the PNG inline.</summary>
    public string Html() =>
        $"<img class=\"chart\" data-chart=\"{Markup.Escape(Name)}\" src=\"data:image/png;base64,{Convert.ToBase64String(Png())}\" " +
        $"width=\"{Width}\" height=\"{Height}\" alt=\"{Markup.Escape(Alt)}\">";
}
