namespace Vae.MLNet.Examples;

/// <summary>What the MNIST example runs; the command line fills it in.</summary>
public sealed record MnistSettings
{
    /// <summary>The folder of the four IDX files (plain or .gz).</summary>
    public required string DataFolder { get; init; }

    /// <summary>Fashion-MNIST (clothing) instead of handwritten digits: only the class names differ.</summary>
    public bool Fashion { get; init; }

    /// <summary>Epochs of the MLP VAE.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Epochs of the convolutional VAE (about 5× slower per epoch than the MLP); 0 skips it.</summary>
    public int ConvolutionalEpochs { get; init; } = 3;

    /// <summary>Epochs of the conditional VAE that draws each class on demand; 0 skips it.</summary>
    public int ConditionalEpochs { get; init; } = 5;

    /// <summary>Use at most this many images of each split (null: all 60,000 + 10,000).</summary>
    public int? Take { get; init; }

    /// <summary>The importance samples k of the importance-weighted bound.</summary>
    public int ImportanceSamples { get; init; } = 100;

    /// <summary>The HTML report of the MLP VAE; the other models' reports go beside it with a suffix.</summary>
    public string ReportPath { get; init; } = "mnist-report.html";

    /// <summary>The seed of the MLContext and of every VAE.</summary>
    public int Seed { get; init; }
}
