using Vae.MLNet.Reporting.Imaging;

namespace Vae.MLNet.Reporting.Figures;

/// <summary>
/// How data vectors are shown: as images when they have an image shape (grayscale or RGB), otherwise as line
/// plots. Images of one report share one value range, so originals, reconstructions and samples compare directly.
/// </summary>
internal sealed record DataLook(ImageShape? Shape, ValueRange Range)
{
    /// <summary>The look for <paramref name="transformer"/>: the user's image shape, else a convolutional VAE's own, else none.</summary>
    public static DataLook For(VaeTransformer transformer, int[]? imageShape, IEnumerable<float[]> originals)
    {
        int[]? shape = imageShape ?? (transformer.Architecture == VaeArchitecture.Convolutional ? transformer.Network.Spec.ImageShape : null);
        var image = shape is null ? (ImageShape?)null : ImageShape.From(shape);
        return new(image is { Channels: 1 or 3 } ? image : null, ValueRange.Of(originals));
    }

    /// <summary>A sentence on how pixel values became grey levels or colours.</summary>
    public string RangeNote => Range is { Min: 0, Max: 1 }
        ? "Values in [0, 1] are drawn as intensities from black (0) to white (1)."
        : $"Values are drawn from black ({Figure.Number(Range.Min)}) to white ({Figure.Number(Range.Max)}), the range of the originals shown.";
}
