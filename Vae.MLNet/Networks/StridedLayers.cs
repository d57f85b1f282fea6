using TorchSharp;
using TorchSharp.Modules;
using Vae.MLNet.Acceleration;
using static TorchSharp.torch;

namespace Vae.MLNet.Networks;

// The convolutional VAE's two layer kinds: a 4×4, stride-2, padding-1 convolution and its transpose, whose arithmetic
// is the network's acceleration's (Acceleration/IAcceleration): which kernel computes them, and keeping them off
// oneDNN where its kernels are wrong, is decided there. Parameters keep Conv2d's and ConvTranspose2d's names, shapes
// and initialization, so the model format and the ONNX export are the same every way.

/// <summary>A 4×4 convolution with stride 2 and padding 1 (weight (out, in, 4, 4), bias (out)), as Conv2d.</summary>
internal sealed class StridedConvolution : nn.Module<Tensor, Tensor>
{
    private readonly IAcceleration _acceleration;

    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="acceleration">How the layer computes.</param>
    public StridedConvolution(long inChannels, long outChannels, IAcceleration acceleration) : base("Conv2d")
    {
        _acceleration = acceleration;
        using var initial = nn.Conv2d(inChannels, outChannels, ConvolutionalLayers.Kernel, stride: ConvolutionalLayers.Stride, padding: ConvolutionalLayers.Padding);
        register_parameter("weight", LinearLayer.CopyOf(initial.weight!));
        register_parameter("bias", LinearLayer.CopyOf(initial.bias!));
    }

    public override Tensor forward(Tensor input) =>
        _acceleration.StridedConvolution(input, get_parameter("weight")!, get_parameter("bias")!);
}

/// <summary>
/// The transpose of <see cref="StridedConvolution"/> with its own output padding per dimension (weight (in, out, 4,
/// 4), bias (out)), as ConvTranspose2d; TorchSharp 0.107's ConvTranspose2d also applied output_padding[0] to both
/// dimensions when forward got no output size (a 12×6 image came back 12×4).
/// </summary>
internal sealed class StridedTransposedConvolution : nn.Module<Tensor, Tensor>
{
    private readonly long[] _outputPadding;
    private readonly IAcceleration _acceleration;

    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="outputPadding">Rows and columns added to the output, (height, width).</param>
    /// <param name="acceleration">How the layer computes.</param>
    public StridedTransposedConvolution(long inChannels, long outChannels, (long Height, long Width) outputPadding, IAcceleration acceleration) : base("ConvTranspose2d")
    {
        _outputPadding = [outputPadding.Height, outputPadding.Width];
        _acceleration = acceleration;
        long k = ConvolutionalLayers.Kernel, s = ConvolutionalLayers.Stride, p = ConvolutionalLayers.Padding;
        using var initial = nn.ConvTranspose2d(inChannels, outChannels, (k, k), stride: (s, s), padding: (p, p));
        register_parameter("weight", LinearLayer.CopyOf(initial.weight!));
        register_parameter("bias", LinearLayer.CopyOf(initial.bias!));
    }

    /// <summary>The extra rows and columns added to the output, (height, width); read by the ONNX export.</summary>
    public IReadOnlyList<long> OutputPadding => _outputPadding;

    public override Tensor forward(Tensor input) =>
        _acceleration.StridedTransposedConvolution(input, get_parameter("weight")!, get_parameter("bias")!, _outputPadding);
}
