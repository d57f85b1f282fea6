using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Vae.MLNet.Examples;

/// <summary>What a run achieved: the data, the test ELBO and where the grids went.</summary>
/// <param name="TrainImages">Images the VAE trained on.</param>
/// <param name="TestImages">Held-out images it was evaluated on.</param>
/// <param name="ImageShape">The shape the VAE read from ExtractPixels' column, {C, H, W}.</param>
/// <param name="Test">ELBO, its terms and the active units on the test images.</param>
/// <param name="SamplesPath">The PNG grid of samples from the prior.</param>
/// <param name="ReconstructionsPath">The PNG grid of test images (odd rows) above their reconstructions (even rows).</param>
/// <param name="ReportPath">The HTML report, when one was written.</param>
public sealed record ImagesResult(int TrainImages, int TestImages, IReadOnlyList<int> ImageShape, VaeMetrics Test, string SamplesPath, string ReconstructionsPath, string? ReportPath);

/// <summary>
/// Trains a convolutional VAE on a folder of image files through ML.NET's own image transforms: LoadImages →
/// ResizeImages → ConvertToGrayscale → ExtractPixels(scaleImage: 1/255) → VaeEncode. ExtractPixels writes channel
/// planes C×H×W and records that shape in its column, which is what the VAE reads, so nothing stands between them.
/// </summary>
public static class ImagesExample
{
    private const int Columns = 8;

    /// <summary>Runs the example and prints as it goes.</summary>
    public static ImagesResult Run(ImagesSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var files = ImageFolder.List(settings.ImageFolder);
        if (files.Length < 2) throw new ArgumentException($"Found {files.Length} image files in {settings.ImageFolder}; the example needs at least 2.", nameof(settings));
        var ml = new MLContext(seed: settings.Seed);
        // Files come sorted by folder, i.e. by class: shuffle them so that the test rows (and the grids) mix the classes.
        var shuffled = ml.Data.ShuffleRows(ml.Data.LoadFromEnumerable(files), seed: settings.Seed);
        var split = ml.Data.TrainTestSplit(ml.Data.Cache(shuffled), testFraction: 0.2, seed: settings.Seed);
        int trainCount = Count(split.TrainSet), testCount = Count(split.TestSet);
        Console.WriteLine($"Found {files.Length:N0} images in {settings.ImageFolder} ({files.Select(f => f.Label).Distinct().Count()} folders); " +
            $"{trainCount:N0} train the VAE, {testCount:N0} test it.");

        // The pixels: each file decoded, resized, made gray and written as one channel plane scaled to [0, 1].
        var pixels = ml.Transforms.LoadImages("Image", settings.ImageFolder, nameof(ImageFile.Path))
            .Append(ml.Transforms.ResizeImages("Image", settings.Size, settings.Size, resizing: ImageResizingEstimator.ResizingKind.Fill))
            .Append(ml.Transforms.ConvertToGrayscale("Image"))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image", colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255));
        Console.WriteLine($"\nPipeline: LoadImages → ResizeImages({settings.Size}×{settings.Size}) → ConvertToGrayscale → ExtractPixels(scaleImage: 1/255) → " +
            $"VaeEncode(convolutional, Bernoulli, latent 16) for {settings.Epochs} epochs; no ImageShape: the VAE reads it from ExtractPixels' column.");
        var model = EpochProgress.Run("Convolutional VAE", settings.Epochs, progress => pixels
            .AppendCacheCheckpoint(ml) // decode each file once, not once per epoch
            .Append(ml.Transforms.VaeEncode(new VaeOptions
            {
                InputColumnName = "Pixels", Architecture = VaeArchitecture.Convolutional, HiddenDimensions = [16, 32], LatentDimension = 16,
                Likelihood = VaeLikelihood.Bernoulli, Epochs = settings.Epochs, BatchSize = 32, LearningRate = 3e-3, Progress = progress,
            }))
            .Fit(split.TrainSet));
        var vae = model.FindVae();
        var testPixels = model.Take(model.Count() - 1).Aggregate((IDataView)split.TestSet, (view, step) => step.Transform(view));
        var test = vae.Evaluate(testPixels);
        Console.WriteLine($"\nTest ELBO {test.Elbo:F2} nats per image (reconstruction {test.ReconstructionLoss:F2}, KL {test.KlDivergence:F2}), " +
            $"{test.ActiveUnits} of {vae.LatentDimension} latent units active; image shape read from the column: {string.Join("×", vae.ImageShape!)}.");

        Directory.CreateDirectory(settings.OutputFolder);
        string samplesPath = Path.Combine(settings.OutputFolder, "samples.png");
        ImageFolder.SaveGrid(vae.Sample(4 * Columns, seed: settings.Seed), settings.Size, Columns, samplesPath);
        var originals = testPixels.GetColumn<float[]>("Pixels").Take(2 * Columns).ToArray();
        var pairs = originals.Chunk(Columns).SelectMany(row => row.Concat(row.Select(x => vae.Reconstruct(x)))).ToArray();
        string reconstructionsPath = Path.Combine(settings.OutputFolder, "reconstructions.png");
        ImageFolder.SaveGrid(pairs, settings.Size, Columns, reconstructionsPath);
        Console.WriteLine($"Saved {Path.GetFullPath(samplesPath)} (samples from the prior) and {Path.GetFullPath(reconstructionsPath)} (test images, each row above its reconstructions).");
        if (settings.ReportPath is { } report) WriteReport(ml, vae, testPixels, settings.OutputFolder, report);
        return new ImagesResult(trainCount, testCount, vae.ImageShape!, test, samplesPath, reconstructionsPath, settings.ReportPath);
    }

    /// <summary>
    /// Saves the VAE and the test pixels in ML.NET's formats and has examples/ImagesReport write the report: the report
    /// draws with ScottPlot on SkiaSharp 3, which cannot load beside ML.NET 5.0.1's image transforms (SkiaSharp 2.88).
    /// </summary>
    private static void WriteReport(MLContext ml, VaeTransformer vae, IDataView testPixels, string folder, string report)
    {
        var columns = ml.Transforms.SelectColumns("Pixels", nameof(ImageFile.Label)).Fit(testPixels).Transform(testPixels);
        string model = Path.Combine(folder, "vae.zip"), pixels = Path.Combine(folder, "test-pixels.idv");
        ml.Model.Save(vae, columns.Schema, model);
        using (var stream = File.Create(pixels)) ml.Data.SaveAsBinary(columns, stream);
        string tool = typeof(ImagesExample).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "ImagesReport").Value!;
        if (!File.Exists(tool)) throw new FileNotFoundException($"The report program {tool} is not built: dotnet build examples/ImagesReport -c Release.", tool);
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { UseShellExecute = false };
        foreach (string argument in new[] { tool, model, pixels, report, "Convolutional VAE on image files (LoadImages → ResizeImages → ExtractPixels)" })
            start.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(start)!;
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"The report program exited with {process.ExitCode}.");
    }

    private static int Count(IDataView view)
    {
        using var cursor = view.GetRowCursor([]);
        int rows = 0;
        while (cursor.MoveNext()) rows++;
        return rows;
    }
}
