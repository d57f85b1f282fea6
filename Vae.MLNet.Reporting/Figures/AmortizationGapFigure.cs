using Vae.MLNet.Reporting.Charts;

namespace Vae.MLNet.Reporting.Figures;

/// <summary>Figure 6: the histogram of the per-row amortization gap.</summary>
internal static class AmortizationGapFigure
{
    private static readonly SeriesStyle MeanStyle = new("mean gap", Palette.Vermillion, Dashed: true);
    private static readonly SeriesStyle ZeroStyle = new("no gap", Palette.Grey);
    private static readonly SeriesStyle RowsStyle = new("rows", Palette.Blue, Marker: MarkerShape.Square);

    /// <summary>The figure for <paramref name="gap"/>; null when it was not measured.</summary>
    public static string Html(AmortizationGapResult? gap)
    {
        const string Id = "amortization", Title = "6. Amortization gap";
        if (gap is null)
            return Figure.Html(Id, Title,
                Figure.Note("Not measured: <code>VaeReportOptions.MeasureAmortizationGap</code> is false. It optimizes every sampled row's posterior, the slowest part of the report."), "");
        var perRow = gap.OptimizedElboPerRow.Zip(gap.AmortizedElboPerRow, (optimized, amortized) => optimized - amortized).ToArray();
        // The zero line only shows where some rows have a negative gap; otherwise it would hide in the y axis.
        var lines = perRow.Min() < 0 ? [new(0, ZeroStyle), new ReferenceLine(gap.Gap, MeanStyle)] : new[] { new ReferenceLine(gap.Gap, MeanStyle) };
        string chart = Histogram.Render(new ChartText("Histogram of the amortization gap per row", "gap: optimized ELBO − amortized ELBO (nats)", "rows"),
            perRow, RowsStyle.Color, new ChartSize(620, 300), lines);
        string caption =
            $"For each of the first {Figure.Count(perRow.Length)} rows, the ELBO after {Figure.Count(gap.Steps)} Adam steps on that row's own (μ, log σ²) " +
            "against the fixed decoder, minus the ELBO with the encoder's (μ, log σ²); both use the same noise. " +
            $"Mean gap {Figure.Number(gap.Gap)} nats (amortized ELBO {Figure.Number(gap.AmortizedElbo)}, optimized {Figure.Number(gap.OptimizedElbo)}). " +
            "<b>How to read:</b> a gap near 0 means the encoder already finds nearly the best posterior the decoder allows; a large gap means the encoder, " +
            "not the decoder, limits the ELBO (more encoder capacity or semi-amortized refinement, <code>VaeOptions.RefinementSteps</code>, helps). " +
            "Small negative values are estimation noise or too few steps.";
        return Figure.Html(Id, Title, Legend.Html(markers: [RowsStyle], lines: lines.Select(l => l.Style)) + chart, caption);
    }
}
