using Microsoft.ML;
using Microsoft.ML.Data;
using SkiaSharp;
using Vae.MLNet.Examples.Datasets;

namespace Vae.MLNet.Examples.Studies;

/// <summary>One set of images scored by the digit classifier in study 4.</summary>
/// <param name="Source">Where the images come from: real test digits, or a model's decoded latent points.</param>
/// <param name="Images">The images (784 pixels in [0, 1]).</param>
/// <param name="Confidence">The classifier's largest class probability for each image.</param>
/// <param name="Predicted">The classifier's class for each image.</param>
public sealed record SamplesRow(string Source, float[][] Images, float[] Confidence, int[] Predicted)
{
    /// <summary>The mean of the largest class probability.</summary>
    public double MeanConfidence => Confidence.Average();

    /// <summary>The share of images the classifier gives one class with probability ≥ 0.9: recognisable digits.</summary>
    public double Recognisable => Confidence.Count(c => c >= 0.9) / (double)Confidence.Length;

    /// <summary>How many images fall in each predicted class.</summary>
    public int[] ClassCounts => [.. Enumerable.Range(0, 10).Select(k => Predicted.Count(p => p == k))];

    /// <summary>The entropy of the predicted classes, in bits: log₂ 10 = 3.32 when every class is as frequent.</summary>
    public double ClassEntropy => -ClassCounts.Where(c => c > 0).Sum(c => c / (double)Predicted.Length * Math.Log2(c / (double)Predicted.Length));
}

/// <summary>
/// The autoencoder notes' claim, in numbers: a plain autoencoder's latent space has holes, so a random point of its
/// latent box decodes to something that is not a digit, while a VAE's decodes to a digit. Both models have the same
/// encoder and latent size; each one's box is the per-dimension range of its codes on the training images; 1,000
/// uniform points of each box are decoded and scored by a classifier trained on real digits. The VAE's prior samples
/// and real test digits are the references.
/// </summary>
public static class SamplesStudy
{
    /// <summary>Trains the classifier and both models, scores the decoded points, prints the table, writes samples.html.</summary>
    public static (IReadOnlyList<SamplesRow> Rows, double ClassifierAccuracy, string Page) Run(StudyContext context)
    {
        var s = context.Settings;
        context.Output.WriteLine($"Study 4: decoded latent points of autoencoders and VAEs (latent sizes {string.Join(", ", s.SampleLatentSizes)}; {s.SamplePoints:N0} points each), scored by a digit classifier");

        var training = context.Train.GetColumn<VBuffer<float>>(nameof(MnistImage.Pixels)).Select(v => v.DenseValues().ToArray()).ToArray();
        var trainingLabels = context.Train.GetColumn<float>(nameof(MnistImage.Label)).Select(l => (int)l).ToArray();
        using var classifier = new DigitClassifier(training, trainingLabels, s.ClassifierEpochs, s.Seed);
        var real = context.Test.GetColumn<VBuffer<float>>(nameof(MnistImage.Pixels)).Select(v => v.DenseValues().ToArray()).ToArray();
        var realLabels = context.Test.GetColumn<float>(nameof(MnistImage.Label)).Select(l => (int)l).ToArray();
        var rows = new List<SamplesRow> { Score(classifier, "real test digits", real) };
        double accuracy = rows[0].Predicted.Zip(realLabels).Count(p => p.First == p.Second) / (double)real.Length;
        context.Output.WriteLine($"  classifier (a small CNN, {s.ClassifierEpochs} epoch(s) on the training images): test accuracy {accuracy:P1}");

        var random = new Random(s.Seed + 17);
        var boxes = new List<string>();
        foreach (int d in s.SampleLatentSizes)
        {
            using var vae = context.Fit([s.HiddenWidth], d);
            var autoencoderOptions = new AutoencoderOptions
            {
                InputColumnName = nameof(MnistImage.Pixels), HiddenDimensions = [s.HiddenWidth], LatentDimension = d,
                ReconstructionLoss = ReconstructionLoss.BinaryCrossEntropy, Epochs = s.Epochs, Seed = s.Seed,
            };
            using var autoencoder = context.Ml.Transforms.AutoencoderEncode(autoencoderOptions).Fit(context.Train);
            context.Output.WriteLine($"  trained the autoencoder {StudyContext.Network([s.HiddenWidth], d)} for {s.Epochs} epoch(s) in {autoencoder.TrainingHistory.Sum(e => e.Seconds):F1} s");
            var vaeBox = Box(vae.Transform(context.Train).GetColumn<VBuffer<float>>(vae.MeanColumnName));
            var autoencoderBox = Box(autoencoder.Transform(context.Train).GetColumn<VBuffer<float>>(autoencoder.LatentColumnName));
            rows.Add(Score(classifier, $"d = {d}: autoencoder, uniform in its box", [.. UniformIn(autoencoderBox, s.SamplePoints, random).Select(autoencoder.Decode)]));
            rows.Add(Score(classifier, $"d = {d}: VAE, uniform in its box", [.. UniformIn(vaeBox, s.SamplePoints, random).Select(z => vae.Decode(z))]));
            rows.Add(Score(classifier, $"d = {d}: VAE, prior samples", vae.Sample(s.SamplePoints, s.Seed + d)));
            boxes.Add($"d = {d}: autoencoder box widths {Describe(autoencoderBox)}, VAE box widths {Describe(vaeBox)}");
        }

        var table = new StudyTable($"Decoded latent points scored by a digit classifier ({s.SamplePoints:N0} points per model, {real.Length:N0} real digits)",
            "images", "mean confidence", "recognisable (p ≥ 0.9)", "class entropy (bits)", "classes ≥ 5%");
        foreach (var r in rows)
            table.AddRow($"{r.Source}", $"{r.MeanConfidence:F3}", $"{100 * r.Recognisable:F1}%", $"{r.ClassEntropy:F2}",
                $"{r.ClassCounts.Count(c => c >= 0.05 * r.Predicted.Length)}");
        table.Write(context.Output);
        context.Output.WriteLine();
        foreach (string box in boxes) context.Output.WriteLine(box);

        var charts = new List<string>
        {
            StudyChart.Line("Classifier confidence, sorted", "fraction of images", "largest class probability",
                rows.Select(r => new ChartSeries(r.Source, Sorted(r.Confidence))).ToArray()),
            StudyChart.Line("Predicted classes", "digit", "share of images",
                rows.Select(r => new ChartSeries(r.Source, r.ClassCounts.Select((c, k) => ((double)k, c / (double)r.Predicted.Length)).ToArray())).ToArray()),
        };
        charts.AddRange(rows.Select(r => Gallery(r, 16)));
        string page = StudyPage.Write(Path.Combine(s.ReportFolder, "samples.html"), "Study 4: what random latent points decode to",
            "The autoencoder notes say a plain autoencoder's latent space is not made for sampling: points between and around its codes decode to no digit, " +
            "while a VAE, whose KL term packs the codes into the prior, decodes them to digits. Here, for each latent size, 1,000 uniform points of each model's latent box " +
            "(the range of its codes on the training images, per dimension) are decoded and scored by a classifier trained on real digits: " +
            "recognisable is the share it gives one class with probability at least 0.9; the class entropy (at most 3.32 bits) says whether the images spread over the digits.",
            table, charts, context.Setup() + $" Each autoencoder has its VAE's encoder and decoder (ReLU, one hidden layer of {s.HiddenWidth}), a Bernoulli cross-entropy loss and no regularizer. " +
            $"The classifier is a small CNN (two 5×5 convolutions, 128 hidden units) trained for {s.ClassifierEpochs} epochs on the training images ({accuracy:P1} accuracy on the test images).");
        return (rows, accuracy, page);
    }

    private static (float Min, float Max)[] Box(IEnumerable<VBuffer<float>> codes)
    {
        (float Min, float Max)[]? box = null;
        foreach (var code in codes)
        {
            var values = code.DenseValues().ToArray();
            box ??= [.. values.Select(v => (v, v))];
            for (int j = 0; j < values.Length; j++) box[j] = (Math.Min(box[j].Min, values[j]), Math.Max(box[j].Max, values[j]));
        }
        return box ?? throw new InvalidOperationException("No training codes.");
    }

    private static IEnumerable<float[]> UniformIn((float Min, float Max)[] box, int count, Random random)
    {
        for (int i = 0; i < count; i++)
            yield return [.. box.Select(b => b.Min + (float)random.NextDouble() * (b.Max - b.Min))];
    }

    private static string Describe((float Min, float Max)[] box) =>
        FormattableString.Invariant($"{box.Min(b => b.Max - b.Min):F1} to {box.Max(b => b.Max - b.Min):F1}");

    private static SamplesRow Score(DigitClassifier classifier, string source, float[][] images)
    {
        var probabilities = classifier.Probabilities(images);
        return new SamplesRow(source, images, [.. probabilities.Select(p => p.Max())], [.. probabilities.Select(p => Array.IndexOf(p, p.Max()))]);
    }

    private static (double X, double Y)[] Sorted(float[] values)
    {
        var sorted = values.Order().ToArray();
        return [.. sorted.Select((v, i) => (sorted.Length == 1 ? 0 : i / (double)(sorted.Length - 1), (double)v))];
    }

    /// <summary>The first <paramref name="count"/> images of a row as one inline PNG, with their predicted class and confidence as its title.</summary>
    private static string Gallery(SamplesRow row, int count)
    {
        const int scale = 2, side = 28;
        count = Math.Min(count, row.Images.Length);
        using var bitmap = new SKBitmap(count * side * scale, side * scale);
        for (int i = 0; i < count; i++)
            for (int y = 0; y < side * scale; y++)
                for (int x = 0; x < side * scale; x++)
                {
                    byte v = (byte)Math.Clamp(255 - 255 * row.Images[i][y / scale * side + x / scale], 0, 255);
                    bitmap.SetPixel(i * side * scale + x, y, new SKColor(v, v, v));
                }
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        string labels = string.Join(" ", Enumerable.Range(0, count).Select(i => FormattableString.Invariant($"{row.Predicted[i]}:{row.Confidence[i]:F2}")));
        return $"<figure><img alt=\"{System.Net.WebUtility.HtmlEncode(row.Source)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png.ToArray())}\">" +
               $"<figcaption>{System.Net.WebUtility.HtmlEncode(row.Source)} (predicted class:confidence) {labels}</figcaption></figure>";
    }
}
