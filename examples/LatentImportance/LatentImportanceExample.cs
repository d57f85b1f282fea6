using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Examples.Datasets;

namespace Vae.MLNet.Examples;

/// <summary>What the latent-importance example runs; the command line fills it in.</summary>
public sealed record LatentImportanceSettings
{
    /// <summary>The folder of MNIST's four IDX files (plain or .gz).</summary>
    public required string DataFolder { get; init; }

    /// <summary>Training images used.</summary>
    public int TrainRows { get; init; } = 10_000;

    /// <summary>Test images scored (and permuted).</summary>
    public int TestRows { get; init; } = 2_000;

    /// <summary>Epochs of the VAE.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>The size of the latent space.</summary>
    public int LatentDimension { get; init; } = 8;

    /// <summary>Permutations per latent dimension.</summary>
    public int Permutations { get; init; } = 3;

    /// <summary>Where to write the whole pipeline as ONNX (and beside it input.idv, test rows to score it on); null: not written.</summary>
    public string? OnnxPath { get; init; }

    /// <summary>The seed of the MLContext and the VAE.</summary>
    public int Seed { get; init; } = 1;
}

/// <summary>One latent dimension: what shuffling it across test rows costs the classifier, and the information the VAE puts in it.</summary>
/// <param name="Slot">The slot name (z0, z1, …), as permutation feature importance reports it.</param>
/// <param name="AccuracyChange">The mean change of micro-accuracy when the dimension is shuffled (negative: it mattered).</param>
/// <param name="StandardError">The standard error of that mean over the permutations.</param>
/// <param name="Kl">The KL of the dimension in nats per image (near 0: the VAE does not use it).</param>
public sealed record LatentImportanceRow(string Slot, double AccuracyChange, double StandardError, double Kl);

/// <summary>What the example found.</summary>
/// <param name="Accuracy">The classifier's micro-accuracy on the test images.</param>
/// <param name="Dimensions">Every latent dimension, the most important first.</param>
/// <param name="ActiveUnits">Latent dimensions the VAE uses (Burda et al. 2016).</param>
public sealed record LatentImportanceResult(double Accuracy, IReadOnlyList<LatentImportanceRow> Dimensions, int ActiveUnits);

/// <summary>
/// A VAE on MNIST, a linear classifier on its latent means, and ML.NET's permutation feature importance over the latent
/// dimensions: which of z0, z1, … the digits are told apart by, beside the KL the VAE spends on each.
/// </summary>
public static class LatentImportanceExample
{
    /// <summary>Runs the example, writing its table to <paramref name="output"/>.</summary>
    public static LatentImportanceResult Run(LatentImportanceSettings settings, TextWriter output)
    {
        var ml = new MLContext(seed: settings.Seed);
        var train = ml.Data.LoadFromEnumerable(Mnist.Load(settings.DataFolder, train: true, take: settings.TrainRows));
        var test = ml.Data.LoadFromEnumerable(Mnist.Load(settings.DataFolder, train: false, take: settings.TestRows));
        output.WriteLine($"Training a VAE ({settings.LatentDimension} latent dimensions, {settings.Epochs} epochs) on {settings.TrainRows:N0} MNIST images...");

        var vaeOptions = new VaeOptions
        {
            InputColumnName = "Pixels", LatentDimension = settings.LatentDimension, HiddenDimensions = [256], Likelihood = VaeLikelihood.Bernoulli,
            Epochs = settings.Epochs, Seed = settings.Seed,
        };
        // The label is keyed outside the model, so the model (and its ONNX form) needs only the pixels to score.
        var labelKey = ml.Transforms.Conversion.MapValueToKey("Label").Fit(train);
        var model = ml.Transforms.VaeEncode(vaeOptions)
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "LatentMean", maximumNumberOfIterations: 50))
            .Fit(labelKey.Transform(train));
        var scored = model.Transform(labelKey.Transform(test));
        double accuracy = ml.MulticlassClassification.Evaluate(scored).MicroAccuracy;

        // The importance dictionary is keyed by the slot names of the classifier's feature column: the VAE's z0, z1, ….
        var importance = ml.MulticlassClassification.PermutationFeatureImportance(model, scored, "Label", permutationCount: settings.Permutations);
        var vae = model.FindVae();
        var metrics = vae.Evaluate(test, seed: settings.Seed);
        var rows = importance
            .Select(kv => new LatentImportanceRow(kv.Key, kv.Value.MicroAccuracy.Mean, kv.Value.MicroAccuracy.StandardError, metrics.KlPerDimension[int.Parse(kv.Key.AsSpan(1))]))
            .OrderBy(r => r.AccuracyChange)
            .ToArray();

        output.WriteLine($"Linear classifier on the latent means: micro-accuracy {accuracy:F3} on {settings.TestRows:N0} test images; {metrics.ActiveUnits} active units.");
        output.WriteLine();
        output.WriteLine("Permutation feature importance per latent dimension (shuffling it across the test images):");
        output.WriteLine($"  {"dimension",-10} {"accuracy change",17} {"± s.e.",8} {"KL (nats)",10}");
        foreach (var r in rows)
            output.WriteLine($"  {r.Slot,-10} {r.AccuracyChange,17:+0.000;-0.000;0.000} {r.StandardError,8:0.000} {r.Kl,10:F2}");

        if (settings.OnnxPath is { } onnx) WriteOnnx(ml, model, test, onnx, output);
        return new LatentImportanceResult(accuracy, rows, metrics.ActiveUnits);
    }

    /// <summary>The pipeline as one ONNX model, and test pixels beside it (input.idv) for examples/OnnxScoring to score.</summary>
    private static void WriteOnnx(MLContext ml, ITransformer model, IDataView test, string path, TextWriter output)
    {
        // Only the pixels: the ONNX model's inputs are the columns of the data it is converted with.
        var pixels = ml.Transforms.SelectColumns("Pixels").Fit(test).Transform(test);
        var rows = ml.Data.LoadFromEnumerable(ml.Data.CreateEnumerable<PixelsOnly>(pixels, reuseRowObject: false).ToArray());
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        using (var stream = File.Create(path)) ml.Model.ConvertToOnnx(model, rows, stream);
        string input = Path.Combine(folder, "input.idv");
        using (var stream = File.Create(input)) ml.Data.SaveAsBinary(rows, stream, keepHidden: false);
        output.WriteLine();
        output.WriteLine($"Wrote the pipeline (VAE and classifier) as ONNX to {path} and its test pixels to {input}; score them without Vae.MLNet:");
        output.WriteLine($"  dotnet run --project examples/OnnxScoring -c Release -- {path} {input} results.bin");
    }

    private sealed class PixelsOnly
    {
        [VectorType(784)]
        public float[] Pixels { get; set; } = [];
    }
}
