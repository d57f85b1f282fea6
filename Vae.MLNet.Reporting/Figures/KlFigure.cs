using ScottPlot;
using Vae.MLNet.Reporting.Charts;

namespace Vae.MLNet.Reporting.Figures;

/// <summary>Figure 5: the KL divergence of each latent dimension, which shows the dimensions the model uses.</summary>
internal static class KlFigure
{
    private const int LabelledUpTo = 24;

    /// <summary>The figure for <paramref name="metrics"/>.</summary>
    public static ReportFigure Build(VaeMetrics metrics)
    {
        var kl = metrics.KlPerDimension;
        var plot = ChartLook.NewPlot("latent dimension", "KL (nats per row)");
        var bars = plot.Add.Bars(kl.Select((v, i) => new Bar
        {
            Position = i, Value = v, FillColor = ChartLook.Green, LineWidth = 0,
            // The value over each bar, while there is room for it.
            Label = kl.Count <= LabelledUpTo ? Figure.Number(v) : "",
        }).ToArray());
        bars.ValueLabelStyle.FontSize = 10;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, kl.Count).Where(i => kl.Count <= LabelledUpTo || i % (int)Math.Ceiling(kl.Count / 16.0) == 0)
                .Select(i => new Tick(i, $"z{i}")).ToArray());
        plot.Axes.Margins(bottom: 0);
        string caption =
            $"The average KL(q(z<sub>j</sub>|x) ‖ N(0, 1)) of each of the {Figure.Count(kl.Count)} latent dimensions over the {Figure.Count(metrics.RowCount)} rows; " +
            $"the bars sum to the KL term, {Figure.Number(metrics.KlDivergence)} nats" + (kl.Count <= LabelledUpTo ? ", and each carries its value" : "") + ". " +
            $"<b>{Figure.Count(metrics.ActiveUnits)} of {Figure.Count(kl.Count)} units are active</b> (the variance over x of their mean E<sub>q</sub>[z<sub>j</sub>] exceeds 0.01, Burda et al. 2016). " +
            "<b>How to read:</b> a dimension whose KL is near 0 is unused: its posterior equals the prior whatever the input, so the decoder learns to ignore it. " +
            "Many inactive units mean the latent space is larger than the data needs, or the KL weight β is too strong.";
        var chart = new Chart("kl", plot, 660, 320,
            "KL per latent dimension: " + string.Join(", ", kl.Select((v, i) => $"z{i} {Figure.Number(v)}")) + " nats");
        return Figure.OfCharts("kl", "5. KL divergence per latent dimension", [chart], caption);
    }
}
