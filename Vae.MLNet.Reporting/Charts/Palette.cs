using System.Globalization;

namespace Vae.MLNet.Reporting.Charts;

/// <summary>
/// Colours that stay distinct under the common colour-vision deficiencies: Okabe and Ito's categorical palette
/// (2008) for classes and series, viridis for ordered values.
/// </summary>
internal static class Palette
{
    /// <summary>Okabe–Ito, ordered so the first colours contrast most on white (pale yellow comes late).</summary>
    public static readonly IReadOnlyList<string> Categorical = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"];

    /// <summary>The colour of inputs (originals, training loss).</summary>
    public const string Blue = "#0072B2";

    /// <summary>The colour of model outputs (reconstructions, validation loss).</summary>
    public const string Vermillion = "#D55E00";

    /// <summary>A third series colour.</summary>
    public const string Orange = "#E69F00";

    /// <summary>A fourth series colour.</summary>
    public const string Green = "#009E73";

    /// <summary>Neutral ink for reference lines.</summary>
    public const string Grey = "#555555";

    private static readonly (double R, double G, double B)[] Viridis =
        [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)];

    /// <summary>
    /// The style of class <paramref name="index"/>: colours cycle through the palette and each further round of
    /// colours gets the next marker shape, so 32 classes stay distinguishable.
    /// </summary>
    public static SeriesStyle Class(int index, string name) =>
        new(name, Categorical[index % Categorical.Count], Marker: (MarkerShape)(index / Categorical.Count % 4));

    /// <summary>The viridis colour at <paramref name="t"/> in [0, 1] (dark purple to yellow).</summary>
    public static string Sequential(double t)
    {
        t = Math.Clamp(double.IsFinite(t) ? t : 0, 0, 1) * (Viridis.Length - 1);
        int i = Math.Min((int)t, Viridis.Length - 2);
        double f = t - i;
        var (a, b) = (Viridis[i], Viridis[i + 1]);
        return string.Create(CultureInfo.InvariantCulture,
            $"#{(int)Math.Round(a.R + f * (b.R - a.R)):X2}{(int)Math.Round(a.G + f * (b.G - a.G)):X2}{(int)Math.Round(a.B + f * (b.B - a.B)):X2}");
    }
}
