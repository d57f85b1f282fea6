using Vae.MLNet.Reporting.Charts;

namespace Vae.MLNet.Reporting.Figures;

/// <summary>Figure 5: the KL divergence of each latent dimension, which shows the dimensions the model uses.</summary>
internal static class KlFigure
{
    /// <summary>The figure for <paramref name="metrics"/>.</summary>
    public static string Html(VaeMetrics metrics)
    {
        var kl = metrics.KlPerDimension;
        string chart = BarChart.Render(new ChartText("KL divergence per latent dimension", "latent dimension", "KL (nats per row)"), kl, Palette.Green,
            new ChartSize(620, 300, XTicks: 16), (i, v) => BarChart.Tooltip($"z{i}", v, "nats"));
        string caption =
            $"The average KL(q(z<sub>j</sub>|x) ‖ N(0, 1)) of each of the {Figure.Count(kl.Count)} latent dimensions over the {Figure.Count(metrics.RowCount)} rows; " +
            $"the bars sum to the KL term, {Figure.Number(metrics.KlDivergence)} nats. " +
            $"<b>{Figure.Count(metrics.ActiveUnits)} of {Figure.Count(kl.Count)} units are active</b> (the variance over x of their mean E<sub>q</sub>[z<sub>j</sub>] exceeds 0.01, Burda et al. 2016). " +
            "<b>How to read:</b> a dimension whose KL is near 0 is unused: its posterior equals the prior whatever the input, so the decoder learns to ignore it. " +
            "Many inactive units mean the latent space is larger than the data needs, or the KL weight β is too strong.";
        return Figure.Html("kl", "5. KL divergence per latent dimension", chart, caption);
    }
}
