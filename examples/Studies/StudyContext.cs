using Microsoft.ML;
using Vae.MLNet.Examples.Datasets;

namespace Vae.MLNet.Examples.Studies;

/// <summary>What every study shares: the settings, the loaded images, the output, and how a VAE is trained.</summary>
public sealed class StudyContext
{
    /// <summary>Loads the images the settings ask for.</summary>
    public StudyContext(StudySettings settings, TextWriter output)
    {
        Settings = settings;
        Output = output;
        Ml = new MLContext(seed: settings.Seed);
        Train = Ml.Data.LoadFromEnumerable(Mnist.Load(settings.DataFolder, train: true, settings.TrainRows));
        Test = Ml.Data.LoadFromEnumerable(Mnist.Load(settings.DataFolder, train: false, settings.TestRows));
    }

    /// <summary>The run's settings.</summary>
    public StudySettings Settings { get; }

    /// <summary>Where tables and progress lines go.</summary>
    public TextWriter Output { get; }

    /// <summary>The MLContext, seeded with the settings' seed.</summary>
    public MLContext Ml { get; }

    /// <summary>The training images.</summary>
    public IDataView Train { get; }

    /// <summary>The test images.</summary>
    public IDataView Test { get; }

    /// <summary>
    /// Fits the notes' MLP VAE (Bernoulli decoder over the pixels, Adam 1e-3, batch 128) with the given hidden layers
    /// and latent size, and prints one line saying how long it took.
    /// </summary>
    public VaeTransformer Fit(int[] hidden, int latentDimension)
    {
        var options = new VaeOptions
        {
            InputColumnName = nameof(MnistImage.Pixels), HiddenDimensions = hidden, LatentDimension = latentDimension, Likelihood = VaeLikelihood.Bernoulli,
            Epochs = Settings.Epochs, Seed = Settings.Seed,
        };
        var vae = Ml.Transforms.VaeEncode(options).Fit(Train);
        Output.WriteLine($"  trained {Network(hidden, latentDimension)} for {Settings.Epochs} epoch(s) in {TrainingSeconds(vae):F1} s");
        return vae;
    }

    /// <summary>The time the VAE's epochs took, without loading or setup.</summary>
    public static double TrainingSeconds(VaeTransformer vae) => vae.TrainingHistory.Sum(e => e.Seconds);

    /// <summary>The encoder's widths, as in "784-400-400-20".</summary>
    public static string Network(int[] hidden, int latentDimension) => string.Join("-", hidden.Prepend(784).Append(latentDimension));

    /// <summary>A line describing the data and training, for the pages' setup notes.</summary>
    public string Setup() =>
        $"MNIST: the first {Settings.TrainRows:N0} training and {Settings.TestRows:N0} test images, pixels in [0, 1] under a Bernoulli decoder; " +
        $"MLP VAEs (ReLU, the decoder mirrors the encoder), Adam 1e-3, batch 128, {Settings.Epochs} epoch(s), seed {Settings.Seed}. " +
        "Nats per image; the ELBO's reconstruction term is estimated with one sample of z per image.";
}
