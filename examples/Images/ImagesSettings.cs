namespace Vae.MLNet.Examples;

/// <summary>The settings of one run of <see cref="ImagesExample"/>.</summary>
public sealed class ImagesSettings
{
    /// <summary>The folder of image files (PNG, JPEG, BMP); a subfolder's name is the label of the images in it.</summary>
    public required string ImageFolder { get; init; }

    /// <summary>Where the PNG grids of samples and reconstructions go.</summary>
    public required string OutputFolder { get; init; }

    /// <summary>The HTML report; null skips it.</summary>
    public string? ReportPath { get; init; }

    /// <summary>Images are resized to Size × Size pixels.</summary>
    public int Size { get; init; } = 28;

    /// <summary>Epochs of the convolutional VAE.</summary>
    public int Epochs { get; init; } = 12;

    /// <summary>Seed of the split, initialization, shuffling and sampling.</summary>
    public int Seed { get; init; }
}
