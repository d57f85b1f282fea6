using Vae.MLNet.Reporting.Charts;

namespace Vae.MLNet.Reporting.Figures;

/// <summary>Figure 3: new data decoded from latent vectors drawn from the prior N(0, I).</summary>
internal static class SamplesFigure
{
    /// <summary>The figure for <paramref name="samples"/>; a note when none could be drawn, with <paramref name="description"/> saying why.</summary>
    public static ReportFigure Build(float[][]? samples, string description, DataLook look)
    {
        const string Id = "samples", Title = "3. Samples from the prior";
        if (samples is null) return Figure.Note(Id, Title, description);
        const string Reading = "<b>How to read:</b> good samples look like plausible data; blurry or mixed-up samples come from regions of the latent space " +
            "the decoder never learned, often a sign that the posteriors do not fill the prior.";
        if (look.Shape is { } shape)
            return new ReportFigure(Id, Title, ImageRows.Html([("Samples", samples)], shape, look.Range), $"{description} {look.RangeNote} {Reading}", []);
        var charts = VectorPanels.Charts("sample", samples.Select((sample, i) => ($"Sample {i + 1}", (IReadOnlyList<VectorLine>)[new VectorLine("sample", sample, ChartLook.Vermillion)])).ToArray());
        return Figure.OfCharts(Id, Title, charts, $"{description} Each panel shows one of them by feature index; compare them with the originals of figure 2. {Reading}");
    }
}
