namespace Vae.MLNet.Examples.Studies;

/// <summary>One encoder depth of study 1.</summary>
/// <param name="HiddenLayers">The encoder's hidden layers (the decoder has as many).</param>
/// <param name="Network">The encoder's widths, e.g. 784-400-400-20.</param>
/// <param name="Test">ELBO, its terms and active units on the test images.</param>
/// <param name="TrainingSeconds">The time of all epochs.</param>
/// <param name="SamplesPerSecond">Training images processed per second (epochs × rows / training time).</param>
public sealed record DepthRow(int HiddenLayers, string Network, VaeMetrics Test, double TrainingSeconds, double SamplesPerSecond);

/// <summary>
/// Exercise 1 of the encoder notes: encoders with 1, 2 and 4 hidden layers of the same width on MNIST, compared on
/// reconstruction (test negative ELBO and reconstruction NLL) and on training speed.
/// </summary>
public static class DepthStudy
{
    /// <summary>Trains one VAE per depth, prints the table, writes depth.html; returns the rows and the page's path.</summary>
    public static (IReadOnlyList<DepthRow> Rows, string Page) Run(StudyContext context)
    {
        var s = context.Settings;
        context.Output.WriteLine($"Study 1: encoder depth ({string.Join(", ", s.Depths)} hidden layers of {s.HiddenWidth}, latent size {s.LatentDimension})");
        var rows = new List<DepthRow>();
        foreach (int depth in s.Depths)
        {
            int[] hidden = Enumerable.Repeat(s.HiddenWidth, depth).ToArray();
            using var vae = context.Fit(hidden, s.LatentDimension);
            double seconds = StudyContext.TrainingSeconds(vae);
            rows.Add(new DepthRow(depth, StudyContext.Network(hidden, s.LatentDimension), vae.Evaluate(context.Test, seed: s.Seed), seconds,
                (double)s.TrainRows * s.Epochs / seconds));
        }

        var table = new StudyTable($"Encoder depth on {s.TestRows:N0} MNIST test images (nats per image)",
            "hidden layers", "encoder", "-ELBO", "recon NLL", "KL", "active units", "train s", "samples/s");
        foreach (var r in rows)
            table.AddRow($"{r.HiddenLayers}", $"{r.Network}", $"{-r.Test.Elbo:F2}", $"{r.Test.ReconstructionLoss:F2}", $"{r.Test.KlDivergence:F2}",
                $"{r.Test.ActiveUnits}/{s.LatentDimension}", $"{r.TrainingSeconds:F1}", $"{r.SamplesPerSecond:F0}");
        table.Write(context.Output);

        var charts = new[]
        {
            StudyChart.Line("Reconstruction against depth", "hidden layers", "nats per test image",
            [
                new ChartSeries("-ELBO", rows.Select(r => ((double)r.HiddenLayers, -r.Test.Elbo)).ToArray()),
                new ChartSeries("reconstruction NLL", rows.Select(r => ((double)r.HiddenLayers, r.Test.ReconstructionLoss)).ToArray()),
            ], logX: true),
            StudyChart.Line("Training speed against depth", "hidden layers", "training samples per second",
                [new ChartSeries("samples/s", rows.Select(r => ((double)r.HiddenLayers, r.SamplesPerSecond)).ToArray())], logX: true),
        };
        string page = StudyPage.Write(Path.Combine(s.ReportFolder, "depth.html"), "Study 1: encoder depth",
            "Exercise 1 of the encoder notes: compare encoder architectures with 1, 2 and 4 hidden layers on MNIST; measure reconstruction quality and training speed. " +
            "Lower -ELBO and reconstruction NLL are better; samples/s counts training images per second of the epochs alone, in wall-clock time, so it compares depths only on an otherwise idle machine.",
            table, charts, context.Setup() + $" Every hidden layer has {s.HiddenWidth} units; the latent size is {s.LatentDimension}.");
        return (rows, page);
    }
}
