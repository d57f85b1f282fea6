using TorchSharp;
using TorchSharp.Modules;

namespace Vae.MLNet.Networks;

/// <summary>
/// The convolutional encoder body (4×4 convolutions with stride 2, each halving the image) and the decoder that
/// retraces it with transposed convolutions back to the exact image size.
/// </summary>
internal static class ConvolutionalLayers
{
    internal const int Kernel = 4, Stride = 2, Padding = 1;

    public static (Sequential encoder, Sequential decoder, int features) Build(VaeNetworkSpec spec)
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
            encoder.append(torch.nn.Conv2d(inChannels, outChannels, Kernel, stride: Stride, padding: Padding));
            if (spec.UseBatchNorm) encoder.append(torch.nn.BatchNorm2d(outChannels));
            encoder.append(torch.nn.ReLU());
            inChannels = outChannels;
        }
        encoder.append(torch.nn.Flatten());
        int features = inChannels * heights[^1] * widths[^1];

        var decoder = torch.nn.Sequential();
        decoder.append(torch.nn.Linear(spec.LatentDimension + spec.ConditionDimension, features));
        decoder.append(torch.nn.ReLU());
        decoder.append(torch.nn.Unflatten(1, [inChannels, heights[^1], widths[^1]]));
        for (int layer = spec.HiddenDimensions.Length - 1; layer >= 0; layer--)
        {
            int outChannels = layer == 0 ? channels : spec.HiddenDimensions[layer - 1];
            // An odd size halves with rounding down; output padding adds the lost row or column back.
            (long, long) outputPadding = (heights[layer] - Upsampled(heights[layer + 1]), widths[layer] - Upsampled(widths[layer + 1]));
            decoder.append(new PaddedConvTranspose2d(inChannels, outChannels, outputPadding));
            if (layer > 0)
            {
                if (spec.UseBatchNorm) decoder.append(torch.nn.BatchNorm2d(outChannels));
                decoder.append(torch.nn.ReLU());
            }
            inChannels = outChannels;
        }
        return (encoder, decoder, features);
    }

    /// <summary>
    /// A 4×4, stride-2 transposed convolution with its own output padding per dimension. TorchSharp 0.107's
    /// ConvTranspose2d applies output_padding[0] to both dimensions when forward gets no output size (so a 12×6 image
    /// came back 12×4); this one calls conv_transpose2d with both. Its parameters are named as ConvTranspose2d's
    /// (weight (in, out, 4, 4), bias (out)) and start from its initialization, so the model format is unchanged.
    /// </summary>
    internal sealed class PaddedConvTranspose2d : torch.nn.Module<torch.Tensor, torch.Tensor>
    {
        private readonly long[] _outputPadding;

        public PaddedConvTranspose2d(long inChannels, long outChannels, (long Height, long Width) outputPadding) : base("ConvTranspose2d")
        {
            _outputPadding = [outputPadding.Height, outputPadding.Width];
            using var initial = torch.nn.ConvTranspose2d(inChannels, outChannels, (Kernel, Kernel), stride: (Stride, Stride), padding: (Padding, Padding));
            register_parameter("weight", new Parameter(initial.weight!.detach().clone()));
            register_parameter("bias", new Parameter(initial.bias!.detach().clone()));
        }

        /// <summary>The extra rows and columns added to the output, (height, width); read by the ONNX export.</summary>
        public IReadOnlyList<long> OutputPadding => _outputPadding;

        public override torch.Tensor forward(torch.Tensor input) =>
            torch.nn.functional.conv_transpose2d(input, get_parameter("weight")!, get_parameter("bias"),
                strides: [Stride, Stride], padding: [Padding, Padding], output_padding: _outputPadding);
    }

    private static int Downsampled(int size) => (size + 2 * Padding - Kernel) / Stride + 1;

    private static int Upsampled(int size) => (size - 1) * Stride - 2 * Padding + Kernel;
}
