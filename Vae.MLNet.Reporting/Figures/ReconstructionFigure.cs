using Vae.MLNet.Reporting.Charts;

namespace Vae.MLNet.Reporting.Figures;

/// <summary>Figure 2: the first rows beside their reconstructions through the latent mean.</summary>
internal static class ReconstructionFigure
{
    private static readonly SeriesStyle OriginalStyle = new("original", Palette.Blue);
    private static readonly SeriesStyle ReconstructionStyle = new("reconstruction", Palette.Vermillion, Dashed: true);

    /// <summary>The figure for the <paramref name="originals"/> and their <paramref name="reconstructions"/>.</summary>
    public static string Html(IReadOnlyList<float[]> originals, IReadOnlyList<float[]> reconstructions, DataLook look, VaeLikelihood likelihood)
    {
        string decoded = likelihood == VaeLikelihood.Bernoulli ? "the decoder's Bernoulli means (probabilities)" : "the decoder's Gaussian means";
        string body, caption;
        if (look.Shape is { } shape)
        {
            body = ImageRows.Html([("Original", originals), ("Reconstruction", reconstructions)], shape, look.Range);
            caption = $"<b>Top:</b> the first {Figure.Count(originals.Count)} rows of the data. <b>Bottom:</b> each one encoded to its latent mean μ(x) and decoded, " +
                $"showing {decoded}. {look.RangeNote} <b>How to read:</b> VAE reconstructions are usually smoother than the originals; " +
                "a reconstruction that shows the wrong shape or class means the latent space or the training is too small for the data.";
        }
        else
        {
            int shown = Math.Min(originals.Count, VectorPanels.MaxPanels);
            body = Legend.Html(markers: [], lines: [OriginalStyle, ReconstructionStyle]) + VectorPanels.Html(Enumerable.Range(0, shown).Select(i =>
                ($"Row {i + 1}", (IReadOnlyList<LineSeries>)[new(OriginalStyle, VectorPanels.Points(originals[i])), new(ReconstructionStyle, VectorPanels.Points(reconstructions[i]))])).ToArray());
            caption = $"Each panel is one of the first {Figure.Count(shown)} rows of the data: its values by feature index (solid) and its reconstruction " +
                $"through the latent mean μ(x) (dashed), which shows {decoded}. <b>How to read:</b> the closer the two lines, the more of the row the latent code keeps; " +
                "the lines only join neighbouring features to make the vector easy to follow. Set <code>VaeReportOptions.ImageShape</code> to see flattened images as pictures.";
        }
        return Figure.Html("reconstructions", "2. Reconstructions", body, caption);
    }
}
