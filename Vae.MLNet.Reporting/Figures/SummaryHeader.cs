namespace Vae.MLNet.Reporting.Figures;

/// <summary>The page header: what the model is, how it was trained, and how well it explains the data.</summary>
internal static class SummaryHeader
{
    /// <summary>The header cards for <paramref name="transformer"/> evaluated as <paramref name="metrics"/>.</summary>
    public static string Html(VaeTransformer transformer, VaeMetrics metrics, AmortizationGapResult? gap)
    {
        var spec = transformer.Network.Spec;
        var (architecture, layers) = spec.Architecture == VaeArchitecture.Convolutional ? ("Convolutional", "channels") : ("MLP", "hidden layers");
        string hidden = spec.HiddenDimensions.Length == 0 ? "no hidden layers" : $"{layers} {string.Join("–", spec.HiddenDimensions)}";
        string likelihood = spec.Likelihood == VaeLikelihood.Bernoulli ? "Bernoulli"
            : spec.LearnObservationVariance ? "Gaussian, learned variance" : $"Gaussian, variance {Figure.Number(spec.ObservationVariance, 3)}";
        string input = Figure.Count(spec.InputDimension) + (spec.ImageShape is { } s ? $" ({string.Join("×", s)} image)" : "");
        var history = transformer.TrainingHistory;
        string training = history.Count == 0 ? "no history"
            : $"{Figure.Count(history.Count)} epochs, {Figure.Number(history.Sum(e => e.Seconds), 1)} s";

        var model = new List<(string, string)>
        {
            ("Architecture", $"{architecture} ({hidden})"),
            ("Likelihood", likelihood),
            ("Input size", input),
            ("Latent size", Figure.Count(spec.LatentDimension)),
        };
        if (spec.ConditionDimension > 0) model.Add(("Condition size", Figure.Count(spec.ConditionDimension)));
        model.Add(("Training", training));

        var evaluation = new List<(string, string)>
        {
            ("ELBO", Figure.Number(metrics.Elbo) + " nats"),
            ("Reconstruction", Figure.Number(metrics.ReconstructionLoss) + " nats"),
            ("KL divergence", Figure.Number(metrics.KlDivergence) + " nats"),
            ("Active units", $"{Figure.Count(metrics.ActiveUnits)} of {Figure.Count(spec.LatentDimension)}"),
        };
        if (gap is not null) evaluation.Add(("Amortization gap", Figure.Number(gap.Gap) + " nats"));

        return "<section class=\"summary\">" +
            Card("Model", model) +
            Card($"Evaluation on {Figure.Count(metrics.RowCount)} rows", evaluation,
                "Per row, in nats. The ELBO is a lower bound on log p(x): higher is better; reconstruction + KL = −ELBO.") +
            "</section>";
    }

    private static string Card(string title, IEnumerable<(string Name, string Value)> rows, string? note = null) =>
        $"<div class=\"card\"><h3>{Figure.Encode(title)}</h3><dl>" +
        string.Concat(rows.Select(r => $"<dt>{Figure.Encode(r.Name)}</dt><dd>{Figure.Encode(r.Value)}</dd>")) +
        "</dl>" + (note is null ? "" : $"<p class=\"card-note\">{Figure.Encode(note)}</p>") + "</div>";
}
