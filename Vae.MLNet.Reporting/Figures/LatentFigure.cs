using ScottPlot;
using Vae.MLNet.Reporting.Charts;
using Vae.MLNet.Reporting.Latent;

namespace Vae.MLNet.Reporting.Figures;

/// <summary>Figure 4: the latent means in two dimensions (the latent space itself, two chosen dimensions, or PCA), coloured by label.</summary>
internal static class LatentFigure
{
    private static readonly ClassStyle Unlabelled = new("row", ChartLook.Blue, MarkerShape.FilledCircle);

    /// <summary>The figure for <paramref name="means"/>, coloured by <paramref name="classes"/> read from column <paramref name="labelName"/>.</summary>
    public static ReportFigure Build(IReadOnlyList<float[]> means, LabelClasses? classes, string? labelName, bool useFirstDimensions, int seed)
    {
        int d = means[0].Length;
        double[][] xy;
        string xTitle, yTitle, projection;
        if (d <= 2 || useFirstDimensions)
        {
            xy = means.Select(m => new double[] { m[0], d > 1 ? m[1] : 0 }).ToArray();
            (xTitle, yTitle) = ("z₀ (latent mean)", d > 1 ? "z₁ (latent mean)" : "0 (one-dimensional latent space)");
            projection = d <= 2 ? "the latent space itself" : $"latent dimensions 0 and 1 of {Figure.Count(d)} (the others are not shown)";
        }
        else
        {
            var pca = LatentProjection.PrincipalComponents(means, seed);
            xy = pca.Points;
            (xTitle, yTitle) = ($"PC 1 ({Percent(pca.ExplainedRatio[0])} of variance)", $"PC 2 ({Percent(pca.ExplainedRatio[1])} of variance)");
            projection = $"the first two principal components of the {Figure.Count(d)}-dimensional latent means (ML.NET's <code>ProjectToPrincipalComponents</code>), " +
                $"together {Percent(pca.ExplainedRatio[0] + pca.ExplainedRatio[1])} of their variance";
        }

        var plot = ChartLook.NewPlot(xTitle, yTitle);
        var styles = classes?.Styles ?? [Unlabelled];
        for (int c = 0; c < styles.Count; c++)
        {
            var rows = Enumerable.Range(0, xy.Length).Where(i => (classes?.ClassOfRow[i] ?? 0) == c).ToArray();
            if (rows.Length == 0) continue;
            var points = plot.Add.ScatterPoints(rows.Select(i => xy[i][0]).ToArray(), rows.Select(i => xy[i][1]).ToArray(), styles[c].Color.WithAlpha(0.8));
            points.MarkerShape = styles[c].Marker;
            points.MarkerSize = 6;
            points.LegendText = styles[c].Name;
        }
        // Both axes in the same unit: distances in the plot are distances in the latent space.
        plot.Axes.SquareUnits();
        if (classes is not null)
        {
            plot.ShowLegend(Edge.Right);
            plot.Legend.FontSize = 12;
        }
        string colouring = classes is null
            ? "No label column was found, so every point has one colour (set <code>VaeReportOptions.LabelColumnName</code> to colour by a column)."
            : $"Colours and shapes are the values of '{Figure.Encode(labelName!)}' ({Figure.Encode(classes.Kind)}).";
        string caption =
            $"Each point is the latent mean μ(x) of one of the first {Figure.Count(means.Count)} rows, shown in {projection}; both axes use the same unit. {colouring} " +
            "<b>How to read:</b> the VAE never sees the labels, so classes that form separate clusters are structure it found on its own; " +
            "the prior is N(0, I), so most points should lie within a few units of the origin.";
        var chart = new Chart("latent", plot, 680, 540, $"Latent means of {means.Count} rows in {xTitle} and {yTitle}");
        return Figure.OfCharts("latent", "4. Latent space", [chart], caption);
    }

    private static string Percent(double ratio) => Figure.Number(100 * ratio, 0) + "%";
}
