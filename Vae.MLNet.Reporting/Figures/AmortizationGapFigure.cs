using ScottPlot;
using Vae.MLNet.Reporting.Charts;

namespace Vae.MLNet.Reporting.Figures;

/// <summary>Figure 6: the histogram of the per-row amortization gap.</summary>
internal static class AmortizationGapFigure
{
    private const int Bins = 20;

    /// <summary>The figure for <paramref name="gap"/>; a note when it was not measured.</summary>
    public static ReportFigure Build(AmortizationGapResult? gap)
    {
        const string Id = "amortization", Title = "6. Amortization gap";
        if (gap is null)
            return Figure.Note(Id, Title, "Not measured: <code>VaeReportOptions.MeasureAmortizationGap</code> is false. It optimizes every sampled row's posterior, the slowest part of the report.");
        var perRow = gap.OptimizedElboPerRow.Zip(gap.AmortizedElboPerRow, (optimized, amortized) => optimized - amortized).Where(double.IsFinite).ToArray();
        double min = perRow.Min(), max = perRow.Max();
        // Rows with one gap value still need a bin of some width.
        if (!(max > min)) (min, max) = (min - 0.5, max + 0.5);
        var histogram = ScottPlot.Statistics.Histogram.WithBinCount(Bins, min, max);
        histogram.AddRange(perRow);

        var plot = ChartLook.NewPlot("gap: optimized ELBO − amortized ELBO (nats)", "rows");
        plot.Add.Histogram(histogram, ChartLook.Blue);
        var mean = plot.Add.VerticalLine(gap.Gap, 2, ChartLook.Vermillion, LinePattern.Dashed);
        mean.LegendText = "mean gap";
        // The zero line only shows where some rows have a negative gap; otherwise it would hide in the y axis.
        if (min < 0) plot.Add.VerticalLine(0, 2, ChartLook.Grey).LegendText = "no gap";
        plot.Axes.Margins(bottom: 0);
        ChartLook.Legend(plot);
        string caption =
            $"For each of the first {Figure.Count(perRow.Length)} rows, the ELBO after {Figure.Count(gap.Steps)} Adam steps on that row's own (μ, log σ²) " +
            "against the fixed decoder, minus the ELBO with the encoder's (μ, log σ²); both use the same noise. " +
            $"Mean gap {Figure.Number(gap.Gap)} nats (amortized ELBO {Figure.Number(gap.AmortizedElbo)}, optimized {Figure.Number(gap.OptimizedElbo)}). " +
            "<b>How to read:</b> a gap near 0 means the encoder already finds nearly the best posterior the decoder allows; a large gap means the encoder, " +
            "not the decoder, limits the ELBO (more encoder capacity or semi-amortized refinement, <code>VaeOptions.RefinementSteps</code>, helps). " +
            "Small negative values are estimation noise or too few steps.";
        var chart = new Chart("amortization", plot, 660, 320, $"Histogram of the amortization gap of {perRow.Length} rows, mean {Figure.Number(gap.Gap)} nats");
        return Figure.OfCharts(Id, Title, [chart], caption);
    }
}
