using Vae.MLNet.Reporting.Charts;

namespace Vae.MLNet.Reporting.Figures;

/// <summary>Figure 1: the loss and its terms per epoch, and the KL term on its own scale.</summary>
internal static class TrainingCurvesFigure
{
    private const int MarkersUpToEpochs = 30;

    /// <summary>The figure for <paramref name="history"/>.</summary>
    public static string Html(IReadOnlyList<VaeEpochMetrics> history)
    {
        const string Title = "1. Training curves";
        if (history.Count == 0)
            return Figure.Html("training", Title, Figure.Note("This model carries no training history (it was built without training)."), "");

        var loss = new SeriesStyle("training loss", Palette.Blue);
        var reconstruction = new SeriesStyle("reconstruction", Palette.Orange);
        var kl = new SeriesStyle("KL divergence", Palette.Green);
        var validation = new SeriesStyle("validation loss (−ELBO)", Palette.Vermillion, Dashed: true);
        LineSeries Series(SeriesStyle style, Func<VaeEpochMetrics, double> value) =>
            new(style, history.Select(e => ((double)e.Epoch, value(e))).ToArray());

        var all = new List<LineSeries> { Series(loss, e => e.Loss), Series(reconstruction, e => e.ReconstructionLoss), Series(kl, e => e.KlDivergence) };
        bool hasValidation = history.Any(e => e.ValidationLoss is not null);
        if (hasValidation)
            all.Add(new(validation, history.Where(e => e.ValidationLoss is not null).Select(e => ((double)e.Epoch, e.ValidationLoss!.Value)).ToArray()));

        bool markers = history.Count <= MarkersUpToEpochs;
        string left = LineChart.Render(new ChartText("Loss, reconstruction and KL per epoch", "epoch", "nats per row"), all, ChartSize.Wide, markers, integerX: true);
        string right = LineChart.Render(new ChartText("KL divergence per epoch", "epoch", "KL (nats per row)"), [all[2]], ChartSize.Wide, markers, integerX: true);
        var last = history[^1];
        string caption =
            $"<b>Left:</b> the minimized loss (reconstruction + β·KL, averaged per row, in nats) on the training rows at each of {Figure.Count(history.Count)} epochs, " +
            "its two terms" + (hasValidation ? ", and the negative ELBO on the held-out validation rows" : "") + ". " +
            "<b>Right:</b> the KL term alone, on its own scale. " +
            "<b>How to read:</b> the loss should fall and level off; " +
            (hasValidation ? "a validation loss that turns upwards while the training loss keeps falling means over-fitting; " : "") +
            "a KL that sinks towards 0 means the posterior is collapsing onto the prior and the latents carry little information. " +
            $"Last epoch: loss {Figure.Number(last.Loss)}, reconstruction {Figure.Number(last.ReconstructionLoss)}, KL {Figure.Number(last.KlDivergence)}" +
            (last.ValidationLoss is double v ? $", validation {Figure.Number(v)}" : "") + ".";
        return Figure.Html("training", Title,
            Legend.Html(markers: [], lines: all.Select(s => s.Style)) + $"<div class=\"charts\">{Figure.Panel("Loss and its terms", left)}{Figure.Panel("KL divergence alone", right)}</div>", caption);
    }
}
