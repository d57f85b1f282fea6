using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Columns;

/// <summary>
/// How the VAE reads images: a vector of Single holding channel planes C×H×W (all of channel 0 row by row, then
/// channel 1, …; PyTorch's layout), which is what ML.NET's <c>ExtractPixels</c> writes with its default
/// <c>interleavePixelColors: false</c>. ExtractPixels also records the shape as the vector's dimensions [C, H, W],
/// so a convolutional VAE needs no <see cref="VaeOptions.ImageShape"/> after it. Its values are 0–255 unless it is
/// given <c>scaleImage: 1f / 255</c>; the Bernoulli likelihood needs [0, 1].
/// </summary>
internal static class ImageColumn
{
    /// <summary>The most channels an image of ExtractPixels has (alpha, red, green, blue).</summary>
    private const int MaxChannels = 4;

    /// <summary>
    /// The image shape {C, H, W} the VAE uses for <paramref name="column"/>: the options' own, checked against the
    /// column's dimensions when it has them, else (convolutional only) the column's dimensions; null for an MLP
    /// without one.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The shape does not fit the column, its pixels are interleaved (H×W×C), it is too small for the convolutional
    /// layers, or a convolutional VAE has no shape to read: neither the option nor the column's dimensions (schema
    /// errors, as ML.NET's; ParamName ImageShape).
    /// </exception>
    public static int[]? Shape(VaeOptions options, DataViewSchema.Column column)
    {
        var shape = ShapeOf(options, column);
        if (options.Architecture == VaeArchitecture.Convolutional && shape is not null && options.ImageShape is null)
            Networks.VaeNetworkSpecValidation.CheckImageFitsLayers(shape, options.EffectiveHiddenDimensions, column.Name);
        return shape;
    }

    private static int[]? ShapeOf(VaeOptions options, DataViewSchema.Column column)
    {
        var dims = ((VectorDataViewType)column.Type).Dimensions;
        bool hasImageDims = dims.Length == 3;
        if (options.ImageShape is { Length: 3 } given)
        {
            if (hasImageDims && !dims.SequenceEqual(given))
            {
                if (dims[0] == given[1] && dims[1] == given[2] && dims[2] == given[0]) throw Interleaved(column, dims[0], dims[1], dims[2]);
                throw new ArgumentOutOfRangeException(nameof(options.ImageShape),
                    $"ImageShape [{string.Join(", ", given)}] does not match column '{column.Name}', whose vector has dimensions [{string.Join(", ", dims)}].");
            }
            return given;
        }
        if (options.ImageShape is not null || options.Architecture != VaeArchitecture.Convolutional) return options.ImageShape;
        if (!hasImageDims)
            throw new ArgumentOutOfRangeException(nameof(options.ImageShape),
                $"The convolutional architecture needs the image shape: set ImageShape = {{C, H, W}}, or feed it ExtractPixels' output, whose vector carries " +
                $"its dimensions [C, H, W]; column '{column.Name}' is {column.Type}.");
        if (dims[0] <= MaxChannels) return [dims[0], dims[1], dims[2]];
        if (dims[2] <= MaxChannels) throw Interleaved(column, dims[0], dims[1], dims[2]);
        throw new ArgumentOutOfRangeException(nameof(options.ImageShape),
            $"Column '{column.Name}' has dimensions [{string.Join(", ", dims)}], whose first is not a channel count (1 to {MaxChannels}): set ImageShape = {{C, H, W}}.");
    }

    private static ArgumentOutOfRangeException Interleaved(DataViewSchema.Column column, int height, int width, int channels) =>
        new(nameof(VaeOptions.ImageShape),
            $"Column '{column.Name}' holds interleaved pixels, H×W×C = {height}×{width}×{channels} (ExtractPixels with interleavePixelColors: true); " +
            $"the VAE reads channel planes C×H×W = {channels}×{height}×{width}: use ExtractPixels' default, interleavePixelColors: false.");
}
