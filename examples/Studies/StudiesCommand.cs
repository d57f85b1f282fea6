using System.CommandLine;
using Vae.MLNet.Examples.Datasets;

namespace Vae.MLNet.Examples.Studies;

/// <summary>The studies' command line: parses the options, finds MNIST, then runs <see cref="StudiesExample"/>.</summary>
public static class StudiesCommand
{
    /// <summary>The exit code of an invalid option.</summary>
    public const int UsageError = 2;

    /// <summary>
    /// Parses <paramref name="args"/> and runs the studies, writing tables to <paramref name="output"/> and parse errors to
    /// <paramref name="error"/> (default: <paramref name="output"/>); returns the exit code.
    /// </summary>
    /// <remarks>Missing MNIST files are not an error: the studies say so and exit with 0, so a checkout without data still runs clean.</remarks>
    public static int Invoke(string[] args, TextWriter output, TextWriter? error = null)
    {
        var data = new Option<string?>("--data") { Description = "The folder of MNIST's IDX files. Default: shared/data/mnist in a folder above this one.", HelpName = "DIR" };
        var quick = new Option<bool>("--quick") { Description = "A reduced run (4,000 training images, 2 epochs, fewer sizes): about a minute on two cores." };
        var study = new Option<StudyKind[]>("--study") { Description = "Run only these studies (repeatable). Default: all four.", HelpName = "depth|latent|gap|samples" };
        var epochs = AtLeastOne(new Option<int?>("--epochs") { Description = "Epochs of every VAE (default 10, or 2 with --quick)." });
        var trainRows = AtLeastOne(new Option<int?>("--train-rows") { Description = "Training images (default 60,000, or 4,000 with --quick).", HelpName = "N" });
        var reportDir = new Option<string>("--report-dir") { Description = "The folder of the pages depth.html, latent.html, gap.html and samples.html.", DefaultValueFactory = _ => "studies", HelpName = "DIR" };
        var seed = new Option<int>("--seed") { Description = "Seed of the MLContext, the VAEs and the evaluations.", DefaultValueFactory = _ => 0 };
        var root = new RootCommand("The notes' exercises on MNIST: encoder depth, latent size, the amortization gap, and what random latent points of an autoencoder and a VAE decode to.")
        {
            data, quick, study, epochs, trainRows, reportDir, seed,
        };
        root.SetAction(result =>
        {
            string? folder = result.GetValue(data) ?? FindMnist();
            if (folder is null || !Mnist.IsAvailable(folder))
            {
                output.WriteLine($"MNIST was not found ({(folder is null ? "no shared/data/mnist in or above the current folder" : Path.GetFullPath(folder))}), so no study ran. " +
                    "Put the four IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, plain or .gz) there or pass --data DIR.");
                return 0;
            }
            var settings = result.GetValue(quick) ? StudySettings.Quick(folder) : StudySettings.Full(folder);
            var studies = result.GetValue(study);
            settings = settings with
            {
                Studies = studies is { Length: > 0 } ? studies : settings.Studies,
                Epochs = result.GetValue(epochs) ?? settings.Epochs,
                TrainRows = result.GetValue(trainRows) ?? settings.TrainRows,
                ReportFolder = result.GetValue(reportDir)!,
                Seed = result.GetValue(seed),
            };
            StudiesExample.Run(settings, output);
            return 0;
        });
        var parsed = root.Parse(args);
        // System.CommandLine exits with 1 on a parse error; the examples use 2 for every usage error.
        int code = parsed.Invoke(new InvocationConfiguration { Output = output, Error = error ?? output });
        return parsed.Errors.Count > 0 && code != 0 ? UsageError : code;
    }

    /// <summary>shared/data/mnist in the current folder or one above it (the repository sits beside shared/).</summary>
    private static string? FindMnist()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared", "data", "mnist");
                if (Mnist.IsAvailable(candidate)) return candidate;
            }
        return null;
    }

    private static Option<int?> AtLeastOne(Option<int?> option)
    {
        option.Validators.Add(r =>
        {
            // A token that is not a number is reported by the parser itself.
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, out int n) && n < 1) r.AddError($"{option.Name} must be at least 1, got {n}.");
        });
        return option;
    }
}
