using Vae.MLNet.Reporting.Charts;

namespace Vae.MLNet.Reporting.Figures;

/// <summary>Figure 7: latent traversals, what each of the most used latent dimensions controls.</summary>
internal static class TraversalFigure
{
    /// <summary>How many dimensions are traversed (those with the largest KL).</summary>
    public const int MaxDimensions = 5;

    /// <summary>The values each traversed dimension is set to: the prior's ±3 standard deviations.</summary>
    public static IReadOnlyList<double> Values(int steps) => Enumerable.Range(0, steps).Select(i => -3 + 6.0 * i / (steps - 1)).ToArray();

    /// <summary>
    /// The figure: the first row's latent code (VaeTransformer.LatentCode: μ, or its image under a flow, the point its
    /// reconstruction decodes) with one dimension at a time set to each of the values, decoded.
    /// </summary>
    public static ReportFigure Build(VaeTransformer transformer, VaeMetrics metrics, float[] row, float[]? condition, DataLook look)
    {
        var dimensions = metrics.KlPerDimension.Select((kl, j) => (kl, j)).OrderByDescending(p => p.kl).Take(MaxDimensions).Select(p => p.j).ToArray();
        int steps = look.Shape is null ? 5 : 9;
        var values = Values(steps);
        var decoded = dimensions.Select(j => transformer.Traverse(row, j, values, condition)).ToArray();
        string valueList = string.Join(", ", values.Select(v => Figure.Number(v, 1)));
        string order = $"the {Figure.Count(dimensions.Length)} latent dimensions with the largest KL (figure 5), largest first";
        const string Reading = "<b>How to read:</b> a dimension the model uses changes the output smoothly and in one recognisable way (stroke width, slant, " +
            "a part of the shape); an unused dimension changes nothing. Several dimensions changing the same thing mean the latent code is entangled.";
        const string Id = "traversals", Title = "7. Latent traversals";
        if (look.Shape is { } shape)
        {
            string body = ImageRows.Html(dimensions.Select((j, r) => ($"z{j}", (IReadOnlyList<float[]>)decoded[r])).ToArray(), shape, look.Range);
            return new ReportFigure(Id, Title, body,
                $"Each row starts from the latent code of the first row of the data (the point its reconstruction decodes: μ(x), or its image under the flow) and sets one latent dimension to {valueList} (left to right), " +
                $"keeping the others; the rows are {order}. {look.RangeNote} {Reading}", []);
        }
        var charts = dimensions.Select((j, r) => VectorPanels.Panel($"traversal-z{j}", $"z{j} from −3 to 3",
            decoded[r].Select((d, s) => new VectorLine($"z{j} = {Figure.Number(values[s], 1)}", d, ChartLook.Sequential(s / (steps - 1.0)))).ToArray(),
            legend: r == 0)).ToArray();
        return Figure.OfCharts(Id, Title, charts,
            $"Each panel starts from the latent code of the first row of the data (the point its reconstruction decodes: μ(x), or its image under the flow), sets one latent dimension to {valueList} (dark purple to yellow) and decodes; " +
            $"the panels are {order}. {Reading}");
    }
}
