using System.Diagnostics;

namespace Vae.MLNet.Examples.Studies;

/// <summary>What a run of the studies found; a study that was not asked for has null rows.</summary>
/// <param name="Depth">Study 1, one row per encoder depth.</param>
/// <param name="Latent">Study 2, one row per latent size.</param>
/// <param name="Gap">Study 3, one row per split and step count.</param>
/// <param name="Samples">Study 4, one row per set of images scored by the digit classifier.</param>
/// <param name="Pages">The full paths of the HTML pages written.</param>
/// <param name="Seconds">The run's wall-clock time, loading included.</param>
public sealed record StudiesResult(
    IReadOnlyList<DepthRow>? Depth, IReadOnlyList<LatentRow>? Latent, IReadOnlyList<GapRow>? Gap, IReadOnlyList<SamplesRow>? Samples, IReadOnlyList<string> Pages, double Seconds);

/// <summary>Runs the studies the settings name, one after the other, on images loaded once.</summary>
public static class StudiesExample
{
    /// <summary>Runs the studies, printing their tables to <paramref name="output"/>.</summary>
    /// <exception cref="FileNotFoundException">The data folder lacks MNIST's IDX files.</exception>
    public static StudiesResult Run(StudySettings settings, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        var watch = Stopwatch.StartNew();
        var context = new StudyContext(settings, output);
        output.WriteLine($"Loaded {settings.TrainRows:N0} training and {settings.TestRows:N0} test images of MNIST from {settings.DataFolder}.");
        IReadOnlyList<DepthRow>? depth = null;
        IReadOnlyList<LatentRow>? latent = null;
        IReadOnlyList<GapRow>? gap = null;
        IReadOnlyList<SamplesRow>? samples = null;
        var pages = new List<string>();
        foreach (var study in settings.Studies.Distinct())
        {
            output.WriteLine();
            string page;
            switch (study)
            {
                case StudyKind.Depth: (depth, page) = DepthStudy.Run(context); break;
                case StudyKind.Latent: (latent, page) = LatentStudy.Run(context); break;
                case StudyKind.Gap: (gap, page) = GapStudy.Run(context); break;
                case StudyKind.Samples: (samples, _, page) = SamplesStudy.Run(context); break;
                default: throw new ArgumentOutOfRangeException(nameof(settings), study, $"Unknown study {study}.");
            }
            pages.Add(page);
            output.WriteLine($"Page: {page}");
        }
        output.WriteLine();
        output.WriteLine($"Done in {watch.Elapsed.TotalSeconds:F0} s. Open the pages in any browser; each is one self-contained HTML file.");
        return new StudiesResult(depth, latent, gap, samples, pages, watch.Elapsed.TotalSeconds);
    }
}
