using Vae.MLNet.Reporting.Charts;

namespace Vae.MLNet.Reporting.Figures;

/// <summary>Figure 4: the latent means in two dimensions (the latent space itself, two chosen dimensions, or PCA), coloured by label.</summary>
internal static class LatentFigure
{
    private static readonly SeriesStyle Unlabelled = new("row", Palette.Blue);

    /// <summary>The figure for <paramref name="means"/>, coloured by <paramref name="classes"/> read from column <paramref name="labelName"/>.</summary>
    public static string Html(IReadOnlyList<float[]> means, LabelClasses? classes, string? labelName, bool useFirstDimensions)
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
            var pca = Pca.Fit(means);
            xy = means.Select(m => pca.Project(m, 2)).ToArray();
            (xTitle, yTitle) = ($"PC 1 ({Percent(pca.ExplainedRatio(0))} of variance)", $"PC 2 ({Percent(pca.ExplainedRatio(1))} of variance)");
            projection = $"the first two principal components of the {Figure.Count(d)}-dimensional latent means, " +
                $"together {Percent(pca.ExplainedRatio(0) + pca.ExplainedRatio(1))} of their variance";
        }

        var styles = classes?.Styles ?? [Unlabelled];
        var points = xy.Select((p, i) => new ScatterPoint(p[0], p[1], classes?.ClassOfRow[i] ?? 0)).ToArray();
        string chart = ScatterChart.Render(new ChartText("Latent means in two dimensions", xTitle, yTitle), points, styles, new ChartSize(620, 480), equalAspect: true);
        string legend = classes is null ? "" : Legend.Html(markers: styles, lines: []);
        string colouring = classes is null
            ? "No label column was found, so every point has one colour (set <code>VaeReportOptions.LabelColumnName</code> to colour by a column)."
            : $"Colours and shapes are the values of '{Figure.Encode(labelName!)}' ({Figure.Encode(classes.Kind)}).";
        string caption =
            $"Each point is the latent mean μ(x) of one of the first {Figure.Count(means.Count)} rows, shown in {projection}; both axes use the same unit. {colouring} " +
            "<b>How to read:</b> the VAE never sees the labels, so classes that form separate clusters are structure it found on its own; " +
            "the prior is N(0, I), so most points should lie within a few units of the origin.";
        return Figure.Html("latent", "4. Latent space", legend + chart, caption);
    }

    private static string Percent(double ratio) => Figure.Number(100 * ratio, 0) + "%";
}
