using Microsoft.ML;

namespace Vae.MLNet.Examples.Studies;

/// <summary>One measurement of study 3: a split and a number of per-image optimization steps.</summary>
/// <param name="Split">"test" or "train": the gap is measured on held-out images and on images the encoder was fitted to.</param>
/// <param name="Steps">Adam steps on each image's own (μ, log σ²).</param>
/// <param name="Gap">The amortized and optimized ELBO of every image.</param>
public sealed record GapRow(string Split, int Steps, AmortizationGapResult Gap)
{
    /// <summary>The share of images whose ELBO the optimization raised.</summary>
    public double ImprovedFraction => Gap.OptimizedElboPerRow.Zip(Gap.AmortizedElboPerRow).Count(p => p.First > p.Second) / (double)Gap.OptimizedElboPerRow.Count;
}

/// <summary>
/// Exercise 3 of the encoder notes: for a trained VAE, the ELBO from the encoder against the ELBO after 100 steps of
/// gradient-based optimization of each image's (μ, log σ²): the amortization gap (Cremer et al. 2018).
/// </summary>
public static class GapStudy
{
    /// <summary>Trains one VAE, measures the gap per split and step count, prints the table, writes gap.html.</summary>
    public static (IReadOnlyList<GapRow> Rows, string Page) Run(StudyContext context)
    {
        var s = context.Settings;
        context.Output.WriteLine($"Study 3: amortization gap ({StudyContext.Network([s.HiddenWidth], s.LatentDimension)}; {string.Join(", ", s.GapSteps)} steps on {s.GapRows:N0} images per split)");
        using var vae = context.Fit([s.HiddenWidth], s.LatentDimension);
        var splits = new[] { ("test", context.Test), ("train", context.Train) };
        var rows = new List<GapRow>();
        foreach (var (split, data) in splits)
        {
            var images = context.Ml.Data.TakeRows(data, s.GapRows);
            foreach (int steps in s.GapSteps)
                rows.Add(new GapRow(split, steps, vae.MeasureAmortizationGap(images, steps)));
        }

        var table = new StudyTable("Amortization gap (nats per image; ELBOs of the same images with the same noise)",
            "split", "images", "steps", "amortized ELBO", "optimized ELBO", "gap", "improved");
        foreach (var r in rows)
            table.AddRow($"{r.Split}", $"{r.Gap.OptimizedElboPerRow.Count}", $"{r.Steps}", $"{r.Gap.AmortizedElbo:F2}", $"{r.Gap.OptimizedElbo:F2}",
                $"{r.Gap.Gap:F2}", $"{100 * r.ImprovedFraction:F1}%");
        table.Write(context.Output);

        int longest = s.GapSteps.Max();
        var perImage = rows.Where(r => r.Steps == longest)
            .Select(r => new ChartSeries($"{r.Split}, {longest} steps", Sorted(r.Gap))).ToArray();
        var charts = new[]
        {
            StudyChart.Line("Gap against optimization steps", "Adam steps per image", "gap (nats per image)",
                splits.Select(sp => new ChartSeries(sp.Item1, rows.Where(r => r.Split == sp.Item1).Select(r => ((double)r.Steps, r.Gap.Gap)).ToArray())).ToArray(),
                logX: true),
            StudyChart.Line("Gap of each image, sorted", "fraction of images", "optimized - amortized ELBO (nats)", perImage),
        };
        string page = StudyPage.Write(Path.Combine(s.ReportFolder, "gap.html"), "Study 3: amortization gap",
            "Exercise 3 of the encoder notes: for a trained VAE, compare the ELBO from the encoder with the ELBO after 100 steps of gradient-based optimization of " +
            "(μ, log σ²) for individual images, starting from the encoder's output with the decoder fixed, and report the gap. " +
            "A positive gap is ELBO the encoder leaves unclaimed; improved is the share of images the optimization helped.",
            table, charts, context.Setup() + $" The VAE is {StudyContext.Network([s.HiddenWidth], s.LatentDimension)}; Adam with learning rate 0.01 and one sample of z per step; " +
            "each image's two ELBOs are averages over the same 32 samples of ε.");
        return (rows, page);
    }

    /// <summary>The images' gaps in increasing order, against their rank as a fraction: the gap's distribution at a glance.</summary>
    private static (double X, double Y)[] Sorted(AmortizationGapResult gap)
    {
        var gaps = gap.OptimizedElboPerRow.Zip(gap.AmortizedElboPerRow, (o, a) => o - a).Order().ToArray();
        return gaps.Select((g, i) => (gaps.Length == 1 ? 0 : i / (double)(gaps.Length - 1), g)).ToArray();
    }
}
