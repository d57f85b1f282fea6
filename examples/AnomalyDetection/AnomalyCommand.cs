using System.CommandLine;
using System.Globalization;

namespace Vae.MLNet.Examples;

/// <summary>The example's command line: parses the options, then runs <see cref="AnomalyExample"/>.</summary>
public static class AnomalyCommand
{
    /// <summary>The exit code of an invalid option or an unusable CSV file.</summary>
    public const int UsageError = 2;

    /// <summary>Parses <paramref name="args"/> and runs the example; returns the process exit code.</summary>
    public static int Invoke(string[] args)
    {
        var csv = new Option<string?>("--csv")
        {
            Description = "A CSV file with a header line; every numeric column except the label is a feature (remove numeric id columns). Default: generated server metrics.",
            HelpName = "FILE",
        };
        var label = new Option<string?>("--label-column") { Description = "Its 0/1 label column (1 = anomaly). Default: 'Label' when present.", HelpName = "NAME" };
        var quantile = new Option<double>("--threshold-quantile")
        {
            Description = "Flag rows scoring above this quantile of the training scores (0.95: about 5% false alarms).", DefaultValueFactory = _ => 0.95, HelpName = "Q",
        };
        quantile.Validators.Add(r =>
        {
            // A token that is not a number is reported by the parser itself; GetValueOrDefault would throw on it.
            if (r.Tokens.Count != 1 || !double.TryParse(r.Tokens[0].Value, CultureInfo.InvariantCulture, out double q)) return;
            if (!(q > 0 && q < 1)) r.AddError($"--threshold-quantile must be between 0 and 1, got {q}.");
        });
        var epochs = new Option<int>("--epochs") { Description = "Training epochs of the VAE.", DefaultValueFactory = _ => 40 };
        epochs.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, out int n) && n < 1) r.AddError($"--epochs must be at least 1, got {n}.");
        });
        var latent = new Option<int?>("--latent") { Description = "Latent dimensions. Default: a third of the feature count, between 2 and 16.", HelpName = "N" };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated data, the split and the VAE.", DefaultValueFactory = _ => 1 };
        var root = new RootCommand("Finds anomalous rows of a table with a VAE's anomaly score (its negative ELBO).") { csv, label, quantile, epochs, latent, seed };
        root.SetAction(result =>
        {
            string? path = result.GetValue(csv);
            if (path is not null && !File.Exists(path))
            {
                Console.Error.WriteLine($"The CSV file {Path.GetFullPath(path)} does not exist.");
                return UsageError;
            }
            try
            {
                AnomalyExample.Run(new AnomalySettings
                {
                    CsvPath = path, LabelColumn = result.GetValue(label), ThresholdQuantile = result.GetValue(quantile), Epochs = result.GetValue(epochs),
                    LatentDimension = result.GetValue(latent), Seed = result.GetValue(seed),
                });
                return 0;
            }
            catch (InvalidDataException e)
            {
                Console.Error.WriteLine(e.Message);
                return UsageError;
            }
        });
        var parsed = root.Parse(args);
        int code = parsed.Invoke();
        return parsed.Errors.Count > 0 && code != 0 ? UsageError : code;
    }
}
