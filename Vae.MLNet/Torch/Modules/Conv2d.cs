using Vae.MLNet.Torch.Native;

namespace Vae.MLNet.Torch.Modules;

/// <summary>2-D convolution over (N, C, H, W), initialized as PyTorch does (bound 1/√(C_in/groups·k_h·k_w)).</summary>
public sealed class Conv2d : torch.nn.Module<torch.Tensor, torch.Tensor>
{
    private readonly long[] _stride, _padding, _dilation;
    private readonly long _groups;

    /// <summary>Creates the layer with a square kernel.</summary>
    public Conv2d(long in_channels, long out_channels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1,
        long groups = 1, bool bias = true)
        : this(in_channels, out_channels, (kernelSize, kernelSize), (stride, stride), (padding, padding), (dilation, dilation), groups, bias) { }

    /// <summary>Creates the layer.</summary>
    public Conv2d(long in_channels, long out_channels, (long, long) kernelSize, (long, long) stride, (long, long) padding,
        (long, long) dilation, long groups = 1, bool bias = true) : base(nameof(Conv2d))
    {
        ConvChecks.Validate(in_channels, out_channels, kernelSize, stride, groups);
        _stride = [stride.Item1, stride.Item2];
        _padding = [padding.Item1, padding.Item2];
        _dilation = [dilation.Item1, dilation.Item2];
        _groups = groups;
        (weight, this.bias) = ConvChecks.Parameters(this, [out_channels, in_channels / groups, kernelSize.Item1, kernelSize.Item2], out_channels, bias);
    }

    /// <summary>The kernels, shape (out, in/groups, kh, kw).</summary>
    public Parameter weight { get; }

    /// <summary>The bias, or null.</summary>
    public Parameter? bias { get; }

    /// <inheritdoc/>
    public override unsafe torch.Tensor forward(torch.Tensor input)
    {
        fixed (long* s = _stride, p = _padding, d = _dilation)
            return torch.Tensor.Wrap(NativeMethods.vae_conv2d(input.Handle, weight.Handle, bias?.Handle ?? IntPtr.Zero, s, p, d, _groups),
                () => $"Conv2d with weight {weight.ShapeString()} on an input of shape {input.ShapeString()}");
    }
}

/// <summary>2-D transposed convolution, initialized as PyTorch does (fan-in taken from weight dimension 1).</summary>
public sealed class ConvTranspose2d : torch.nn.Module<torch.Tensor, torch.Tensor>
{
    private readonly long[] _stride, _padding, _outputPadding, _dilation;
    private readonly long _groups;

    /// <summary>Creates the layer with a square kernel.</summary>
    public ConvTranspose2d(long in_channels, long out_channels, long kernelSize, long stride = 1, long padding = 0,
        long output_padding = 0, long dilation = 1, long groups = 1, bool bias = true)
        : this(in_channels, out_channels, (kernelSize, kernelSize), (stride, stride), (padding, padding), (output_padding, output_padding),
            (dilation, dilation), groups, bias) { }

    /// <summary>Creates the layer.</summary>
    public ConvTranspose2d(long in_channels, long out_channels, (long, long) kernelSize, (long, long) stride, (long, long) padding,
        (long, long) output_padding, (long, long) dilation, long groups = 1, bool bias = true) : base(nameof(ConvTranspose2d))
    {
        ConvChecks.Validate(in_channels, out_channels, kernelSize, stride, groups);
        if ((output_padding.Item1 >= stride.Item1 && output_padding.Item1 >= dilation.Item1) ||
            (output_padding.Item2 >= stride.Item2 && output_padding.Item2 >= dilation.Item2))
            throw new ArgumentOutOfRangeException(nameof(output_padding), $"output_padding {output_padding} must be smaller than stride {stride} or dilation {dilation}.");
        _stride = [stride.Item1, stride.Item2];
        _padding = [padding.Item1, padding.Item2];
        _outputPadding = [output_padding.Item1, output_padding.Item2];
        _dilation = [dilation.Item1, dilation.Item2];
        _groups = groups;
        (weight, this.bias) = ConvChecks.Parameters(this, [in_channels, out_channels / groups, kernelSize.Item1, kernelSize.Item2], out_channels, bias);
    }

    /// <summary>The kernels, shape (in, out/groups, kh, kw).</summary>
    public Parameter weight { get; }

    /// <summary>The bias, or null.</summary>
    public Parameter? bias { get; }

    /// <inheritdoc/>
    public override unsafe torch.Tensor forward(torch.Tensor input)
    {
        fixed (long* s = _stride, p = _padding, o = _outputPadding, d = _dilation)
            return torch.Tensor.Wrap(NativeMethods.vae_conv_transpose2d(input.Handle, weight.Handle, bias?.Handle ?? IntPtr.Zero, s, p, o, d, _groups),
                () => $"ConvTranspose2d with weight {weight.ShapeString()} on an input of shape {input.ShapeString()}");
    }
}

internal static class ConvChecks
{
    /// <summary>
    /// The kernels and bias, registered on module, drawn as PyTorch does: fan-in is weight dimension 1 times the
    /// kernel area (in/groups·k·k for a convolution, out/groups·k·k for a transposed one).
    /// </summary>
    internal static (Parameter weight, Parameter? bias) Parameters(torch.nn.Module module, long[] weightShape, long outChannels, bool hasBias)
    {
        long fanIn = weightShape[1] * weightShape[2] * weightShape[3];
        var weight = Init.UniformParameter(weightShape, fanIn);
        module.register_parameter("weight", weight);
        if (!hasBias) return (weight, null);
        var bias = Init.UniformParameter([outChannels], fanIn);
        module.register_parameter("bias", bias);
        return (weight, bias);
    }

    internal static void Validate(long inChannels, long outChannels, (long, long) kernel, (long, long) stride, long groups)
    {
        if (inChannels < 1 || outChannels < 1 || groups < 1 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentOutOfRangeException(nameof(inChannels), $"Channels ({inChannels} → {outChannels}) must be positive multiples of groups ({groups}).");
        if (kernel.Item1 < 1 || kernel.Item2 < 1 || stride.Item1 < 1 || stride.Item2 < 1)
            throw new ArgumentOutOfRangeException(nameof(kernel), $"Kernel {kernel} and stride {stride} must be positive.");
    }
}
