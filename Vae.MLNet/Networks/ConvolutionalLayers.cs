using TorchSharp;
using TorchSharp.Modules;
using Vae.MLNet.Acceleration;

namespace Vae.MLNet.Networks;

/// <summary>
/// The convolutional encoder body (4×4 convolutions with stride 2, each halving the image) and the decoder that
/// retraces it with transposed convolutions back to the exact image size.
/// </summary>
internal static class ConvolutionalLayers
{
    internal const int Kernel = 4, Stride = 2, Padding = 1;

    public static (Sequential encoder, Sequential decoder, int features) Build(VaeNetworkSpec spec, IAcceleration acceleration)
    {
        int[] image = spec.ImageShape ?? throw new ArgumentException("The convolutional architecture needs an image shape.");
        int channels = image[0];
        var heights = new List<int> { image[1] };
        var widths = new List<int> { image[2] };
        var encoder = torch.nn.Sequential();
        int inChannels = channels;
        foreach (int outChannels in spec.HiddenDimensions)
        {
            heights.Add(Downsampled(heights[^1]));
            widths.Add(Downsampled(widths[^1]));
            if (heights[^1] < 1 || widths[^1] < 1)
                throw new ArgumentException($"Image shape [{string.Join(", ", image)}] is too small for {spec.HiddenDimensions.Length} stride-2 convolution layers.");
            encoder.append(new StridedConvolution(inChannels, outChannels, acceleration));
            if (spec.UseBatchNorm) encoder.append(torch.nn.BatchNorm2d(outChannels));
            encoder.append(torch.nn.ReLU());
            inChannels = outChannels;
        }
        encoder.append(torch.nn.Flatten());
        int features = inChannels * heights[^1] * widths[^1];

        var decoder = torch.nn.Sequential();
        // torch's own Linear rather than the door's LinearLayer: this layer never took the packed product, and keeping it so
        // keeps every kernel choice as it was measured.
        decoder.append(torch.nn.Linear(spec.LatentDimension + spec.ConditionDimension, features));
        decoder.append(torch.nn.ReLU());
        decoder.append(torch.nn.Unflatten(1, [inChannels, heights[^1], widths[^1]]));
        for (int layer = spec.HiddenDimensions.Length - 1; layer >= 0; layer--)
        {
            int outChannels = layer == 0 ? channels : spec.HiddenDimensions[layer - 1];
            // An odd size halves with rounding down; output padding adds the lost row or column back.
            (long, long) outputPadding = (heights[layer] - Upsampled(heights[layer + 1]), widths[layer] - Upsampled(widths[layer + 1]));
            decoder.append(new StridedTransposedConvolution(inChannels, outChannels, outputPadding, acceleration));
            if (layer > 0)
            {
                if (spec.UseBatchNorm) decoder.append(torch.nn.BatchNorm2d(outChannels));
                decoder.append(torch.nn.ReLU());
            }
            inChannels = outChannels;
        }
        return (encoder, decoder, features);
    }

    /// <summary>The output size of one strided convolution; 0 when the padded input is narrower than the kernel (libtorch refuses it).</summary>
    internal static int Downsampled(int size) => size + 2 * Padding < Kernel ? 0 : (size + 2 * Padding - Kernel) / Stride + 1;

    /// <summary>
    /// The smallest height (and width) that <paramref name="layers"/> strided convolutions take, walked back from one
    /// output pixel: a layer with an output of t pixels needs an input of (t − 1)·Stride + Kernel − 2·Padding (2t here).
    /// long.MaxValue when beyond any image.
    /// </summary>
    internal static long SmallestSide(int layers)
    {
        long size = 1;
        for (int layer = 0; layer < layers && size <= int.MaxValue; layer++)
            size = Math.Max(1, (size - 1) * Stride + Kernel - 2 * Padding);
        return size <= int.MaxValue ? size : long.MaxValue;
    }

    private static int Upsampled(int size) => (size - 1) * Stride - 2 * Padding + Kernel;
}
