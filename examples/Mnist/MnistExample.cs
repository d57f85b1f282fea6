using System.Diagnostics;
using Spectre.Console;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;
using Vae.MLNet.Examples.Datasets;
using Vae.MLNet.Reporting;
using ClassifierChain = Microsoft.ML.Data.TransformerChain<Microsoft.ML.Data.MulticlassPredictionTransformer<Microsoft.ML.Trainers.MaximumEntropyModelParameters>>;

namespace Vae.MLNet.Examples;

/// <summary>What one trained VAE achieved on the test images.</summary>
/// <param name="Name">The model, as the summary table names it.</param>
/// <param name="LatentDimension">The size of its latent space.</param>
/// <param name="Epochs">The epochs it trained.</param>
/// <param name="TrainingSeconds">The VAE's training time (the sum of its epochs).</param>
/// <param name="Test">ELBO, KL and active units on every test image.</param>
/// <param name="ImportanceWeighted">The importance-weighted bound (and the ELBO) on the first test images.</param>
/// <param name="Accuracy">Test accuracy of the logistic regression on the latent means (null for the conditional VAE).</param>
/// <param name="Gap">The amortization gap on the first test images (null for the conditional VAE).</param>
/// <param name="ReportPath">The full path of its HTML report.</param>
public sealed record MnistModelResult(
    string Name, int LatentDimension, int Epochs, double TrainingSeconds, VaeMetrics Test, VaeMetrics ImportanceWeighted, double? Accuracy, AmortizationGapResult? Gap, string ReportPath);

/// <summary>
/// The MNIST example: trains the MLP VAE of pytorch/examples (784-400-20, Bernoulli, Adam 1e-3, batch 128) and a
/// convolutional VAE in an ML.NET pipeline with a classifier on the latent means, evaluates them, draws samples
/// (per class with a conditional VAE) and writes an HTML report for each.
/// </summary>
public static class MnistExample
{
    private const int LatentDimension = 20;
    // With a 2-D latent the class has to come from the condition, so each class's samples show that class.
    private const int ConditionalLatentDimension = 2;
    private const int GapRows = 1000;
    private const int ConvolutionalBoundRows = 1000;

    private static readonly string[] Digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    private static readonly string[] Clothes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Runs the example and prints as it goes; returns one result per trained model.</summary>
    /// <exception cref="FileNotFoundException">The data folder lacks the IDX files.</exception>
    public static IReadOnlyList<MnistModelResult> Run(MnistSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string dataName = settings.Fashion ? "Fashion-MNIST" : "MNIST";
        var classNames = settings.Fashion ? Clothes : Digits;
        var trainImages = Mnist.Load(settings.DataFolder, train: true, settings.Take);
        var testImages = Mnist.Load(settings.DataFolder, train: false, settings.Take);
        Console.WriteLine($"Loaded {trainImages.Length:N0} training and {testImages.Length:N0} test images of {dataName} (28×28 pixels scaled to [0, 1]) from {settings.DataFolder}.");

        var ml = new MLContext(seed: settings.Seed);
        var train = ml.Data.LoadFromEnumerable(trainImages);
        var test = ml.Data.LoadFromEnumerable(testImages);
        var results = new List<MnistModelResult>();

        Console.WriteLine($"\n1. An MLP VAE (784-400-{LatentDimension}, Bernoulli decoder, Adam 1e-3, batch 128) for {Epochs(settings.Epochs)}, then a logistic regression on its latent means.");
        using var mlp = TrainWithClassifier(ml, train, settings, "MLP VAE", settings.Epochs, new VaeOptions { HiddenDimensions = [400] });
        results.Add(Describe(ml, mlp, test, settings, "MLP", settings.Epochs, boundRows: testImages.Length,
            settings.ReportPath, imageShape: [1, 28, 28]));
        var vae = mlp.FindVae();
        Console.WriteLine("Ten images decoded from z ~ N(0, I) (the decoder's pixel probabilities):");
        PrintImages(vae.Sample(10, seed: settings.Seed), Enumerable.Range(1, 10).Select(i => $"sample {i}").ToArray(), settings.Fashion);

        if (settings.ConvolutionalEpochs > 0)
        {
            Console.WriteLine($"\n2. A convolutional VAE (two stride-2 convolutions of 32 and 64 channels, z of {LatentDimension}) for {Epochs(settings.ConvolutionalEpochs)} " +
                "(about 5× slower per epoch than the MLP on a CPU, so it gets fewer; --conv-epochs changes that).");
            using var conv = TrainWithClassifier(ml, train, settings, "convolutional VAE", settings.ConvolutionalEpochs, new VaeOptions
            {
                Architecture = VaeArchitecture.Convolutional, ImageShape = [1, 28, 28], HiddenDimensions = [32, 64],
            });
            // The bound with k samples costs k decoder passes per image: the convolutional decoder gets fewer images.
            results.Add(Describe(ml, conv, test, settings, "convolutional", settings.ConvolutionalEpochs, boundRows: Math.Min(testImages.Length, ConvolutionalBoundRows),
                WithSuffix(settings.ReportPath, "-conv"), imageShape: null));
        }

        if (settings.ConditionalEpochs > 0)
        {
            Console.WriteLine($"\n3. A conditional VAE for {Epochs(settings.ConditionalEpochs)}: the class (a key column) is fed to encoder and decoder, and the latent space has " +
                $"only {ConditionalLatentDimension} dimensions, so the class decides what is drawn and z only its style (with 20, z also carries the class and samples often show another).");
            var (result, samples) = TrainConditional(ml, train, test, settings, classNames.Length);
            results.Add(result);
            Console.WriteLine($"Its ELBO bounds log p(x | class): {result.Test.Elbo:F2} nats. One image per class, asked for with SampleClass:");
            PrintImages(samples, classNames, settings.Fashion);
        }

        PrintSummary(results, dataName, testImages.Length);
        Console.WriteLine();
        foreach (var result in results)
            Console.WriteLine($"The {result.Name} report: {result.ReportPath}");
        Console.WriteLine($"Open a report in any browser (e.g. xdg-open {Quote(results[0].ReportPath)}); it is one self-contained HTML file. docs/report.md explains its figures.");
        return results;
    }

    /// <summary>The issue's pipeline: label to key, the VAE, a cache (the classifier makes many passes), the classifier.</summary>
    private static ClassifierChain TrainWithClassifier(MLContext ml, IDataView train, MnistSettings settings, string title, int epochs, VaeOptions options)
    {
        options.InputColumnName = nameof(MnistImage.Pixels);
        options.LatentDimension = LatentDimension;
        options.Likelihood = VaeLikelihood.Bernoulli;
        options.Epochs = epochs;
        options.Seed = settings.Seed;
        var watch = Stopwatch.StartNew();
        var model = EpochProgress.Run(title, epochs, progress =>
        {
            options.Progress = progress;
            var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
                .Append(ml.Transforms.VaeEncode(options))
                .AppendCacheCheckpoint(ml)
                .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(featureColumnName: "LatentMean"));
            return pipeline.Fit(train);
        });
        var vae = model.FindVae();
        double vaeSeconds = vae.TrainingHistory.Sum(e => e.Seconds);
        Console.WriteLine($"The VAE trained in {vaeSeconds:F0} s, the classifier on its latent means in {watch.Elapsed.TotalSeconds - vaeSeconds:F0} s.");
        return model;
    }

    private static MnistModelResult Describe(MLContext ml, ClassifierChain model, IDataView test, MnistSettings settings, string name, int epochs,
        int boundRows, string reportPath, int[]? imageShape)
    {
        var vae = model.FindVae();
        var watch = Stopwatch.StartNew();
        var metrics = vae.Evaluate(test);
        Console.WriteLine($"Test ELBO {metrics.Elbo:F2} nats per image (reconstruction {metrics.ReconstructionLoss:F2}, KL {metrics.KlDivergence:F2}), " +
            $"{metrics.ActiveUnits} of {LatentDimension} latent units active.");
        var bound = vae.Evaluate(ml.Data.TakeRows(test, boundRows), settings.ImportanceSamples);
        // On a subset, the subset's own ELBO is the fair comparison.
        string images = bound.RowCount < metrics.RowCount ? $"the first {bound.RowCount:N0} test images (their ELBO: {bound.Elbo:F2})" : "the test images";
        Console.WriteLine($"The importance-weighted bound with k = {settings.ImportanceSamples} on {images} is {bound.ImportanceWeightedBound:F2}: " +
            "like the ELBO it bounds log p(x) from below, and the larger k, the tighter.");
        double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
        Console.WriteLine($"A logistic regression on the {LatentDimension} latent means classifies the test images with accuracy {accuracy:P1} (it never saw a pixel).");
        int gapRows = (int)Math.Min(GapRows, metrics.RowCount);
        var gap = vae.MeasureAmortizationGap(ml.Data.TakeRows(test, gapRows));
        Console.WriteLine($"Amortization gap on {gapRows:N0} test images: {gap.Gap:F2} nats (ELBO {gap.AmortizedElbo:F2} from the encoder, {gap.OptimizedElbo:F2} after " +
            $"{gap.Steps} Adam steps on each image's own posterior).");
        WriteReport(vae, test, reportPath, ReportTitle(settings, name, LatentDimension, epochs), imageShape);
        Console.WriteLine($"Evaluated and reported in {watch.Elapsed.TotalSeconds:F0} s.");
        return new MnistModelResult(name, LatentDimension, epochs, vae.TrainingHistory.Sum(e => e.Seconds), metrics, bound, accuracy, gap, Path.GetFullPath(reportPath));
    }

    private static (MnistModelResult Result, float[][] Samples) TrainConditional(MLContext ml, IDataView train, IDataView test, MnistSettings settings, int classCount)
    {
        var options = new VaeOptions
        {
            InputColumnName = nameof(MnistImage.Pixels), LatentDimension = ConditionalLatentDimension, HiddenDimensions = [400], Likelihood = VaeLikelihood.Bernoulli,
            ConditionColumnName = "Label", Epochs = settings.ConditionalEpochs, Seed = settings.Seed,
        };
        using var model = EpochProgress.Run("conditional VAE", settings.ConditionalEpochs, progress =>
        {
            options.Progress = progress;
            return ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
                .Append(ml.Transforms.VaeEncode(options))
                .Fit(train);
        });
        var cvae = model.LastTransformer;
        // The VAE reads the condition from the key column, so evaluate and report on the key-mapped test images.
        var keyedTest = model.Transform(test);
        var metrics = cvae.Evaluate(keyedTest);
        int boundRows = (int)Math.Min(ConvolutionalBoundRows, metrics.RowCount);
        var bound = cvae.Evaluate(ml.Data.TakeRows(keyedTest, boundRows), settings.ImportanceSamples);
        var classes = ClassIndices(keyedTest.Schema["Label"], classCount);
        var samples = classes.Select((index, c) => index is int i ? cvae.SampleClass(1, i, seed: settings.Seed + c)[0] : new float[784]).ToArray();
        string reportPath = WithSuffix(settings.ReportPath, "-conditional");
        WriteReport(cvae, keyedTest, reportPath, ReportTitle(settings, "conditional", ConditionalLatentDimension, settings.ConditionalEpochs), [1, 28, 28]);
        var result = new MnistModelResult("conditional", ConditionalLatentDimension, settings.ConditionalEpochs, cvae.TrainingHistory.Sum(e => e.Seconds), metrics, bound, null, null, Path.GetFullPath(reportPath));
        return (result, samples);
    }

    /// <summary>The 0-based key index of each class 0..count-1 (null for a class absent from the training images).</summary>
    private static int?[] ClassIndices(DataViewSchema.Column key, int count)
    {
        var values = default(VBuffer<float>);
        key.GetKeyValues(ref values);
        var dense = values.DenseValues().ToArray();
        return Enumerable.Range(0, count).Select(c => Array.IndexOf(dense, (float)c) is var i and >= 0 ? i : (int?)null).ToArray();
    }

    private static string ReportTitle(MnistSettings settings, string name, int latent, int epochs) =>
        $"{(settings.Fashion ? "Fashion-MNIST" : "MNIST")}: {name} VAE, z of {latent}, Bernoulli, {Epochs(epochs)}";

    private static void WriteReport(VaeTransformer vae, IDataView test, string path, string title, int[]? imageShape)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        VaeReport.Write(vae, test, path, new VaeReportOptions { Title = title, ImageShape = imageShape, ReconstructionCount = 10, SampleCount = 10 });
    }

    private static void PrintImages(IReadOnlyList<float[]> images, IReadOnlyList<string> captions, bool fashion)
    {
        // Digits sit in the middle 20×20 pixels; clothes fill the whole image.
        foreach (string line in AsciiImages.Render(images, captions, size: 28, crop: fashion ? 0 : 4, perLine: fashion ? 4 : 5))
            Console.WriteLine(line);
    }

    private static void PrintSummary(IReadOnlyList<MnistModelResult> results, string dataName, int testRows)
    {
        // Narrow enough for an 80-column terminal (and for redirected output, which Spectre renders 80 wide).
        var table = new Table().Title(new TableTitle($"{dataName}: {testRows:N0} test images, nats per image", Style.Plain))
            .AddColumn("model").AddColumn("epochs", c => c.RightAligned()).AddColumn("train", c => c.RightAligned())
            .AddColumn("ELBO", c => c.RightAligned()).AddColumn("IWAE", c => c.RightAligned()).AddColumn("units", c => c.RightAligned())
            .AddColumn("accuracy", c => c.RightAligned()).AddColumn("gap", c => c.RightAligned());
        foreach (var r in results)
            table.AddRow(
                Markup.Escape(r.Name), $"{r.Epochs}", $"{r.TrainingSeconds:F0} s", $"{r.Test.Elbo:F2}", $"{r.ImportanceWeighted.ImportanceWeightedBound:F2}",
                $"{r.Test.ActiveUnits}/{r.LatentDimension}", r.Accuracy is double a ? $"{a:P1}" : "-", r.Gap is { } g ? $"{g.Gap:F2}" : "-");
        Console.WriteLine();
        AnsiConsole.Write(table);
        Console.WriteLine($"ELBO: on every test image (higher is better). IWAE: the importance-weighted bound with k = {results[0].ImportanceWeighted.ImportanceSamples} " +
            "on the first test images (" + string.Join(", ", results.Select(r => $"{r.Name} {r.ImportanceWeighted.RowCount:N0}")) + ").");
        Console.WriteLine($"units: active latent units. accuracy: logistic regression on the latent means. gap: amortization gap on {results[0].Gap?.AmortizedElboPerRow.Count ?? 0:N0} test images.");
        if (results.Any(r => r.Accuracy is null))
            Console.WriteLine("The conditional VAE's bounds are on log p(x | class), not log p(x), so they are not comparable with the others.");
    }

    /// <summary>reports/mnist.html with "-conv" gives reports/mnist-conv.html.</summary>
    private static string WithSuffix(string path, string suffix)
    {
        string extension = Path.GetExtension(path);
        return Path.Combine(Path.GetDirectoryName(path) ?? "", Path.GetFileNameWithoutExtension(path) + suffix + (extension.Length > 0 ? extension : ".html"));
    }

    private static string Epochs(int count) => count == 1 ? "1 epoch" : $"{count} epochs";

    private static string Quote(string path) => path.Contains(' ') ? $"\"{path}\"" : path;
}
