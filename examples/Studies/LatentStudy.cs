namespace Vae.MLNet.Examples.Studies;

/// <summary>One latent size of study 2.</summary>
/// <param name="LatentDimension">The size of the latent space.</param>
/// <param name="Test">ELBO, its terms, the KL per dimension and active units on the test images.</param>
public sealed record LatentRow(int LatentDimension, VaeMetrics Test);

/// <summary>
/// Exercise 2 of the encoder notes: VAEs with latent sizes 2 to 128 on MNIST; reconstruction error and KL against the
/// size, with the active units that show how many of the dimensions the VAE actually uses.
/// </summary>
public static class LatentStudy
{
    /// <summary>Trains one VAE per latent size, prints the table, writes latent.html; returns the rows and the page's path.</summary>
    public static (IReadOnlyList<LatentRow> Rows, string Page) Run(StudyContext context)
    {
        var s = context.Settings;
        context.Output.WriteLine($"Study 2: latent size ({string.Join(", ", s.LatentSizes)}; one hidden layer of {s.HiddenWidth})");
        var rows = new List<LatentRow>();
        foreach (int d in s.LatentSizes)
        {
            using var vae = context.Fit([s.HiddenWidth], d);
            rows.Add(new LatentRow(d, vae.Evaluate(context.Test, seed: s.Seed)));
        }

        var table = new StudyTable($"Latent size on {s.TestRows:N0} MNIST test images (nats per image)",
            "latent size", "-ELBO", "recon NLL", "KL", "active units", "top-dim KL");
        foreach (var r in rows)
            table.AddRow($"{r.LatentDimension}", $"{-r.Test.Elbo:F2}", $"{r.Test.ReconstructionLoss:F2}", $"{r.Test.KlDivergence:F2}",
                $"{r.Test.ActiveUnits}/{r.LatentDimension}", $"{r.Test.KlPerDimension.Max():F2}");
        table.Write(context.Output);

        var charts = new[]
        {
            // Separate axes: the KL is a few nats to tens, the reconstruction NLL around a hundred.
            StudyChart.Line("Reconstruction error against latent size", "latent size d", "nats per test image",
                [new ChartSeries("reconstruction NLL", rows.Select(r => ((double)r.LatentDimension, r.Test.ReconstructionLoss)).ToArray())], logX: true),
            StudyChart.Line("KL against latent size", "latent size d", "nats per test image",
                [new ChartSeries("KL(q(z|x) ‖ p(z))", rows.Select(r => ((double)r.LatentDimension, r.Test.KlDivergence)).ToArray())], logX: true),
            StudyChart.Line("Active units against latent size", "latent size d", "latent dimensions",
            [
                new ChartSeries("active units", rows.Select(r => ((double)r.LatentDimension, (double)r.Test.ActiveUnits)).ToArray()),
                new ChartSeries("d (all active)", rows.Select(r => ((double)r.LatentDimension, (double)r.LatentDimension)).ToArray()),
            ], logX: true),
        };
        string page = StudyPage.Write(Path.Combine(s.ReportFolder, "latent.html"), "Study 2: latent size",
            "Exercise 2 of the encoder notes: train encoders with latent dimensions d in {2, 8, 16, 32, 64, 128} and plot reconstruction error and KL divergence against d. " +
            "Active units are the dimensions whose posterior mean varies over the images (variance above 0.01, Burda et al. 2016); the rest stay at the prior and cost no KL. " +
            "top-dim KL is the KL of the most used dimension.",
            table, charts, context.Setup() + $" One hidden layer of {s.HiddenWidth} units.");
        return (rows, page);
    }
}
