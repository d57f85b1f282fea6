namespace Vae.MLNet.Examples.Studies;

/// <summary>The encoder notes' three exercises and the autoencoder notes' sampling comparison.</summary>
public enum StudyKind
{
    /// <summary>Exercise 1: encoders with 1, 2 and 4 hidden layers.</summary>
    Depth,

    /// <summary>Exercise 2: latent sizes from 2 to 128.</summary>
    Latent,

    /// <summary>Exercise 3: the amortization gap after per-image optimization.</summary>
    Gap,

    /// <summary>The autoencoder notes' comparison: random latent points of a plain autoencoder and of a VAE, decoded and scored by a digit classifier.</summary>
    Samples,
}

/// <summary>What the studies run; <see cref="Full"/> and <see cref="Quick"/> are the two presets, the command line adjusts them.</summary>
public sealed record StudySettings
{
    /// <summary>The folder of MNIST's four IDX files (plain or .gz).</summary>
    public required string DataFolder { get; init; }

    /// <summary>The studies to run, in this order.</summary>
    public IReadOnlyList<StudyKind> Studies { get; init; } = [StudyKind.Depth, StudyKind.Latent, StudyKind.Gap, StudyKind.Samples];

    /// <summary>Training images (the first ones of the training split).</summary>
    public int TrainRows { get; init; } = 60_000;

    /// <summary>Test images every model is evaluated on (the first ones of the test split).</summary>
    public int TestRows { get; init; } = 10_000;

    /// <summary>Epochs of every VAE.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>The width of every hidden layer (the decoder mirrors the encoder).</summary>
    public int HiddenWidth { get; init; } = 400;

    /// <summary>The latent size of the depth and gap studies.</summary>
    public int LatentDimension { get; init; } = 20;

    /// <summary>The hidden-layer counts of the depth study.</summary>
    public IReadOnlyList<int> Depths { get; init; } = [1, 2, 4];

    /// <summary>The latent sizes of the latent study.</summary>
    public IReadOnlyList<int> LatentSizes { get; init; } = [2, 8, 16, 32, 64, 128];

    /// <summary>The per-image Adam steps of the gap study; the exercise asks for 100, the shorter runs show how the gap closes.</summary>
    public IReadOnlyList<int> GapSteps { get; init; } = [1, 10, 30, 100];

    /// <summary>Images of each split (test and training) whose gap is measured.</summary>
    public int GapRows { get; init; } = 1_000;

    /// <summary>Latent points decoded per model in the samples study.</summary>
    public int SamplePoints { get; init; } = 1_000;

    /// <summary>The latent sizes of the samples study (an autoencoder and a VAE each): 2, where the box is the notes' picture, and the other studies' 20.</summary>
    public IReadOnlyList<int> SampleLatentSizes { get; init; } = [2, 20];

    /// <summary>Epochs of the samples study's digit classifier.</summary>
    public int ClassifierEpochs { get; init; } = 3;

    /// <summary>The folder of the HTML pages (created when missing).</summary>
    public string ReportFolder { get; init; } = "studies";

    /// <summary>The seed of the MLContext, of every VAE and of the evaluations' samples of z.</summary>
    public int Seed { get; init; }

    /// <summary>The full run: all of MNIST, 10 epochs, every size the notes name.</summary>
    public static StudySettings Full(string dataFolder) => new() { DataFolder = dataFolder };

    /// <summary>
    /// The reduced run (--quick): 4,000 training and 1,000 test images, 2 epochs, four latent sizes, 200 images per
    /// split for the gap, five epochs of the samples study's classifier (on fewer images); about a minute on two cores.
    /// </summary>
    public static StudySettings Quick(string dataFolder) => new()
    {
        DataFolder = dataFolder, TrainRows = 4_000, TestRows = 1_000, Epochs = 2, LatentSizes = [2, 8, 32, 128], GapSteps = [10, 100], GapRows = 200, ClassifierEpochs = 5,
    };
}
