using System.CommandLine;
using Vae.MLNet.Examples.Datasets;

namespace Vae.MLNet.Examples;

/// <summary>The example's command line: parses the options, checks the data folder, then runs <see cref="MnistExample"/>.</summary>
public static class MnistCommand
{
    /// <summary>The exit code when the IDX files are missing or an option is invalid.</summary>
    public const int UsageError = 2;

    /// <summary>Parses <paramref name="args"/> and runs the example; returns the process exit code.</summary>
    public static int Invoke(string[] args)
    {
        var data = new Option<string?>("--data") { Description = "Folder of the four IDX files (plain or .gz). Default: ../shared/data/mnist (or fashion-mnist) beside the repository.", HelpName = "DIR" };
        var fashion = new Option<bool>("--fashion") { Description = "Use Fashion-MNIST (default folder ../shared/data/fashion-mnist)." };
        var epochs = Positive(new Option<int>("--epochs") { Description = "Epochs of the MLP VAE.", DefaultValueFactory = _ => 10 }, allowZero: false);
        var convEpochs = Positive(new Option<int>("--conv-epochs") { Description = "Epochs of the convolutional VAE, about 5× slower per epoch; 0 skips it.", DefaultValueFactory = _ => 3 }, allowZero: true);
        var cvaeEpochs = Positive(new Option<int>("--cvae-epochs") { Description = "Epochs of the conditional VAE; 0 skips it.", DefaultValueFactory = _ => 5 }, allowZero: true);
        var take = Positive(new Option<int>("--take") { Description = "Use at most N images of each split (quick runs).", HelpName = "N" }, allowZero: false);
        var samples = Positive(new Option<int>("--iw-samples") { Description = "Importance samples k of the importance-weighted bound.", DefaultValueFactory = _ => 100, HelpName = "K" }, allowZero: false);
        var report = new Option<string>("--report") { Description = "The MLP VAE's HTML report; the others get -conv and -conditional beside it.", DefaultValueFactory = _ => "mnist-report.html", HelpName = "PATH" };
        var seed = new Option<int>("--seed") { Description = "Seed of initialization, shuffling and sampling.", DefaultValueFactory = _ => 0 };
        var root = new RootCommand("Trains variational autoencoders on MNIST in an ML.NET-style pipeline, evaluates them and writes HTML reports.")
        {
            data, fashion, epochs, convEpochs, cvaeEpochs, take, samples, report, seed,
        };
        root.SetAction(result =>
        {
            bool isFashion = result.GetValue(fashion);
            string name = isFashion ? "fashion-mnist" : "mnist";
            string folder = result.GetValue(data) ?? DefaultFolder(name);
            if (!Mnist.IsAvailable(folder))
            {
                Console.Error.WriteLine($"The {(isFashion ? "Fashion-MNIST" : "MNIST")} IDX files were not found in {Path.GetFullPath(folder)}.");
                Console.Error.WriteLine("Expected train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each may end in .gz).");
                Console.Error.WriteLine(isFashion
                    ? "Download them from https://github.com/zalandoresearch/fashion-mnist (data/fashion) and pass --data DIR."
                    : "Download them from https://ossci-datasets.s3.amazonaws.com/mnist/ (the mirror torchvision uses) and pass --data DIR.");
                return UsageError;
            }
            MnistExample.Run(new MnistSettings
            {
                DataFolder = folder, Fashion = isFashion, Epochs = result.GetValue(epochs), ConvolutionalEpochs = result.GetValue(convEpochs),
                ConditionalEpochs = result.GetValue(cvaeEpochs), Take = result.GetResult(take) is null ? null : result.GetValue(take),
                ImportanceSamples = result.GetValue(samples), ReportPath = result.GetValue(report)!, Seed = result.GetValue(seed),
            });
            return 0;
        });
        var parsed = root.Parse(args);
        // System.CommandLine exits with 1 on a parse error; this example promises 2 for every usage error.
        int code = parsed.Invoke();
        return parsed.Errors.Count > 0 && code != 0 ? UsageError : code;
    }

    /// <summary>
    /// ../shared/data/NAME beside the repository root (the folder holding Vae.MLNet.sln); a git worktree nested
    /// deeper finds it further up. Falls back to the first candidate, so the error message names it.
    /// </summary>
    private static string DefaultFolder(string name)
    {
        var starts = new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory };
        string? repository = starts.Select(FindRepository).FirstOrDefault(r => r is not null);
        var candidates = new List<string>();
        for (var dir = repository is null ? null : new DirectoryInfo(repository).Parent; dir is not null; dir = dir.Parent)
            candidates.Add(Path.Combine(dir.FullName, "shared", "data", name));
        return candidates.FirstOrDefault(Mnist.IsAvailable) ?? candidates.FirstOrDefault() ?? Path.Combine("..", "shared", "data", name);
    }

    private static string? FindRepository(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Vae.MLNet.sln"))) return dir.FullName;
        return null;
    }

    private static Option<int> Positive(Option<int> option, bool allowZero)
    {
        option.Validators.Add(result =>
        {
            // A token that is not a number is reported by the parser itself; GetValueOrDefault would throw on it.
            if (result.Tokens.Count != 1 || !int.TryParse(result.Tokens[0].Value, out int value)) return;
            if (value < (allowZero ? 0 : 1)) result.AddError($"{option.Name} must be {(allowZero ? "0 or more" : "at least 1")}, got {value}.");
        });
        return option;
    }
}
