using System.CommandLine;
using Vae.MLNet.Examples.Datasets;

namespace Vae.MLNet.Examples;

/// <summary>The example's command line: parses the options, finds MNIST, then runs <see cref="LatentImportanceExample"/>.</summary>
public static class LatentImportanceCommand
{
    /// <summary>The exit code of an invalid option or missing data.</summary>
    public const int UsageError = 2;

    /// <summary>Parses <paramref name="args"/> and runs the example; returns the process exit code.</summary>
    public static int Invoke(string[] args)
    {
        var data = new Option<string?>("--data") { Description = "The folder of MNIST's IDX files. Default: shared/data/mnist in a folder above this one.", HelpName = "DIR" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs of the VAE.", DefaultValueFactory = _ => 10 };
        var latent = new Option<int>("--latent") { Description = "Latent dimensions.", DefaultValueFactory = _ => 8 };
        var trainRows = new Option<int>("--train-rows") { Description = "Training images used.", DefaultValueFactory = _ => 10_000 };
        var onnx = new Option<string?>("--onnx") { Description = "Also write the whole pipeline as ONNX to this file.", HelpName = "FILE" };
        var seed = new Option<int>("--seed") { Description = "Seed of the MLContext and the VAE.", DefaultValueFactory = _ => 1 };
        foreach (var option in new[] { epochs, latent, trainRows })
            option.Validators.Add(r =>
            {
                if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, out int n) && n < 1) r.AddError($"{option.Name} must be at least 1, got {n}.");
            });
        var root = new RootCommand("Permutation feature importance of a classifier over a VAE's latent dimensions, on MNIST.") { data, epochs, latent, trainRows, onnx, seed };
        root.SetAction(result =>
        {
            string? folder = result.GetValue(data) ?? FindMnist();
            if (folder is null || !Mnist.IsAvailable(folder))
            {
                Console.Error.WriteLine($"MNIST was not found ({(folder is null ? "no shared/data/mnist above the current folder" : folder)}); pass --data DIR.");
                return UsageError;
            }
            LatentImportanceExample.Run(new LatentImportanceSettings
            {
                DataFolder = folder, Epochs = result.GetValue(epochs), LatentDimension = result.GetValue(latent), TrainRows = result.GetValue(trainRows),
                OnnxPath = result.GetValue(onnx), Seed = result.GetValue(seed),
            }, Console.Out);
            return 0;
        });
        var parsed = root.Parse(args);
        int code = parsed.Invoke();
        return parsed.Errors.Count > 0 && code != 0 ? UsageError : code;
    }

    /// <summary>shared/data/mnist in the current folder or one above it (the repository sits beside shared/).</summary>
    private static string? FindMnist()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data", "mnist");
            if (Mnist.IsAvailable(candidate)) return candidate;
        }
        return null;
    }
}
