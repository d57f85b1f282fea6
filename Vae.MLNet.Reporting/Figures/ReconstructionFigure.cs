using Vae.MLNet.Reporting.Charts;

namespace Vae.MLNet.Reporting.Figures;

/// <summary>Figure 2: the first rows beside their reconstructions through the latent mean.</summary>
internal static class ReconstructionFigure
{
    /// <summary>The figure for the <paramref name="originals"/> and their <paramref name="reconstructions"/>.</summary>
    public static ReportFigure Build(IReadOnlyList<float[]> originals, IReadOnlyList<float[]> reconstructions, DataLook look, VaeLikelihood likelihood)
    {
        const string Id = "reconstructions", Title = "2. Reconstructions";
        string decoded = likelihood == VaeLikelihood.Bernoulli ? "the decoder's Bernoulli means (probabilities)" : "the decoder's Gaussian means";
        if (look.Shape is { } shape)
        {
            string body = ImageRows.Html([("Original", originals), ("Reconstruction", reconstructions)], shape, look.Range);
            string caption = $"<b>Top:</b> the first {Figure.Count(originals.Count)} rows of the data. <b>Bottom:</b> each one encoded to its latent mean μ(x) and decoded, " +
                $"showing {decoded}. {look.RangeNote} <b>How to read:</b> VAE reconstructions are usually smoother than the originals; " +
                "a reconstruction that shows the wrong shape or class means the latent space or the training is too small for the data.";
            return new ReportFigure(Id, Title, body, caption, []);
        }
        int shown = Math.Min(originals.Count, VectorPanels.MaxPanels);
        var charts = VectorPanels.Charts("reconstruction", Enumerable.Range(0, shown).Select(i => ($"Row {i + 1}", (IReadOnlyList<VectorLine>)
        [
            new VectorLine("original", originals[i], ChartLook.Blue),
            new VectorLine("reconstruction", reconstructions[i], ChartLook.Vermillion, Dashed: true),
        ])).ToArray(), legend: true);
        string vectorCaption = $"Each panel is one of the first {Figure.Count(shown)} rows of the data: its values by feature index (solid) and its reconstruction " +
            $"through the latent mean μ(x) (dashed), which shows {decoded}. <b>How to read:</b> the closer the two lines, the more of the row the latent code keeps; " +
            "the lines only join neighbouring features to make the vector easy to follow. Set <code>VaeReportOptions.ImageShape</code> to see flattened images as pictures.";
        return Figure.OfCharts(Id, Title, charts, vectorCaption);
    }
}
