using Vae.MLNet.Reporting.Charts;

namespace Vae.MLNet.Reporting.Figures;

/// <summary>Figure 8: decoded points on the path between the latent codes of two rows (VaeTransformer.LatentCode).</summary>
internal static class InterpolationFigure
{
    private const int Steps = 10;

    /// <summary>
    /// The figure for the path from the first row of <paramref name="rows"/> to the first with another label (or the
    /// second row); a note when the data has a single row.
    /// </summary>
    public static ReportFigure Build(VaeTransformer transformer, EncodedRows rows, DataLook look)
    {
        const string Id = "interpolation", Title = "8. Interpolation";
        if (rows.Inputs.Count < 2) return Figure.Note(Id, Title, "The data has a single row, so there is no second row to interpolate to.");
        int to = Partner(rows);
        float[] a = rows.Inputs[0], b = rows.Inputs[to];
        var condition = rows.Conditions?[0];
        var linear = transformer.Interpolate(a, b, Steps, VaeInterpolation.Linear, condition);
        string ends = $"from row 1 to row {Figure.Count(to + 1)} of the data" +
            (rows.Labels is { } labels ? $" (labels {Figure.Encode(Name(labels[0]))} and {Figure.Encode(Name(labels[to]))})" : "") +
            (condition is null ? "" : ", both decoded with row 1's condition");
        const string Reading = "<b>How to read:</b> a smooth path whose middle still looks like data means the latent space is continuous between the two; " +
            "blurry or implausible images in the middle mean a region between the posteriors that the decoder never learned.";
        if (look.Shape is { } shape)
        {
            var spherical = transformer.Interpolate(a, b, Steps, VaeInterpolation.Spherical, condition);
            string body = ImageRows.Html([("Original", [a, b]), ("Linear", linear), ("Spherical", spherical)], shape, look.Range);
            return new ReportFigure(Id, Title, body,
                $"<b>Top:</b> the two rows. <b>Below:</b> {Figure.Count(Steps)} points on the path between their latent codes (μ(x), or its image under the flow: the points their reconstructions decode), {ends}, decoded, ends included: " +
                $"along a straight line, and along the great circle (which keeps the norm of z, as prior samples have). {look.RangeNote} {Reading}", []);
        }
        var chart = VectorPanels.Panel("interpolation", $"Row 1 to row {to + 1}",
            linear.Select((x, s) => new VectorLine(s == 0 ? "start" : s == Steps - 1 ? "end" : $"step {s}", x, ChartLook.Sequential(s / (Steps - 1.0)))).ToArray(),
            legend: true, width: 720, height: 320);
        return Figure.OfCharts(Id, Title, [chart],
            $"{Figure.Count(Steps)} points on the straight line between the latent codes of two rows (μ(x), or its image under the flow: the points their reconstructions decode), {ends}, decoded, ends included (dark purple to yellow). {Reading}");
    }

    /// <summary>The row to interpolate to: the first with another label (so the path crosses classes), else the second row.</summary>
    private static int Partner(EncodedRows rows)
    {
        if (rows.Labels is { } labels)
            for (int i = 1; i < rows.Inputs.Count; i++)
                if (labels[i] != labels[0] && (rows.Conditions is null || rows.Conditions[i].SequenceEqual(rows.Conditions[0])))
                    return i;
        return 1;
    }

    private static string Name(LabelValue label) => label.Name ?? label.Order.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
}
