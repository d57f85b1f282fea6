using ScottPlot;
using Vae.MLNet.Reporting.Charts;

namespace Vae.MLNet.Reporting.Figures;

/// <summary>Figure 1: the loss and its terms per epoch, and the KL term on its own scale.</summary>
internal static class TrainingCurvesFigure
{
    private const int MarkersUpToEpochs = 30, Width = 520, Height = 320;

    /// <summary>The figure for <paramref name="history"/>.</summary>
    public static ReportFigure Build(IReadOnlyList<VaeEpochMetrics> history)
    {
        const string Id = "training", Title = "1. Training curves";
        if (history.Count == 0) return Figure.Note(Id, Title, "This model carries no training history (it was built without training).");

        bool markers = history.Count <= MarkersUpToEpochs;
        bool hasValidation = history.Any(e => e.ValidationLoss is not null);
        var left = ChartLook.NewPlot("epoch", "nats per row");
        left.Title("Loss and its terms", size: 13);
        Curve(left, history, "training loss", ChartLook.Blue, e => e.Loss, markers);
        Curve(left, history, "reconstruction", ChartLook.Orange, e => e.ReconstructionLoss, markers);
        Curve(left, history, "KL divergence", ChartLook.Green, e => e.KlDivergence, markers);
        if (hasValidation) Curve(left, history, "validation loss (−ELBO)", ChartLook.Vermillion, e => e.ValidationLoss, markers, dashed: true);
        // Below the axes: curves that start high and fall would run under a legend in a corner.
        left.ShowLegend(Edge.Bottom);
        left.Legend.FontSize = 11;
        var right = ChartLook.NewPlot("epoch", "KL (nats per row)");
        right.Title("KL divergence alone", size: 13);
        Curve(right, history, "KL divergence", ChartLook.Green, e => e.KlDivergence, markers);

        var last = history[^1];
        string caption =
            $"<b>Left:</b> the minimized loss (reconstruction + β·KL, averaged per row, in nats) on the training rows at each of {Figure.Count(history.Count)} epochs, " +
            "its two terms" + (hasValidation ? ", and the negative ELBO on the held-out validation rows (dashed)" : "") + ". " +
            "<b>Right:</b> the KL term alone, on its own scale. " +
            "<b>How to read:</b> the loss should fall and level off; " +
            (hasValidation ? "a validation loss that turns upwards while the training loss keeps falling means over-fitting; " : "") +
            "a KL that sinks towards 0 means the posterior is collapsing onto the prior and the latents carry little information. " +
            $"Last epoch: loss {Figure.Number(last.Loss)}, reconstruction {Figure.Number(last.ReconstructionLoss)}, KL {Figure.Number(last.KlDivergence)}" +
            (last.ValidationLoss is double v ? $", validation {Figure.Number(v)}" : "") + ".";
        return Figure.OfCharts(Id, Title,
        [
            new Chart("training-loss", left, Width, Height, $"Training loss, reconstruction{(hasValidation ? ", validation loss" : "")} and KL per epoch"),
            new Chart("training-kl", right, Width, Height, "KL divergence per epoch"),
        ], caption);
    }

    private static void Curve(Plot plot, IReadOnlyList<VaeEpochMetrics> history, string name, Color color, Func<VaeEpochMetrics, double?> value, bool markers, bool dashed = false)
    {
        var points = history.Where(e => value(e) is not null).ToArray();
        var line = plot.Add.Scatter(points.Select(e => (double)e.Epoch).ToArray(), points.Select(e => value(e)!.Value).ToArray(), color);
        line.LegendText = name;
        line.LineWidth = 2;
        line.MarkerSize = markers ? 6 : 0;
        if (dashed) line.LinePattern = LinePattern.Dashed;
        // Epochs are whole numbers: no ticks between them.
        plot.Axes.Bottom.TickGenerator = ChartLook.Ticks(integers: true);
    }
}
