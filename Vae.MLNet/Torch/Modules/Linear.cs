using Vae.MLNet.Torch.Native;

namespace Vae.MLNet.Torch.Modules;

/// <summary>y = x Wᵀ + b, initialized as PyTorch does: W and b from U(-1/√in, 1/√in).</summary>
public sealed class Linear : torch.nn.Module<torch.Tensor, torch.Tensor>
{
    /// <summary>Creates the layer.</summary>
    public Linear(long in_features, long out_features, bool hasBias = true) : base(nameof(Linear))
    {
        if (in_features < 1 || out_features < 1)
            throw new ArgumentOutOfRangeException(nameof(in_features), $"Linear needs positive sizes, got {in_features} → {out_features}.");
        _inFeatures = in_features;
        _outFeatures = out_features;
        weight = Init.UniformParameter([out_features, in_features], in_features);
        register_parameter("weight", weight);
        if (hasBias)
        {
            bias = Init.UniformParameter([out_features], in_features);
            register_parameter("bias", bias);
        }
    }

    private readonly long _inFeatures, _outFeatures;

    /// <summary>The weight, shape (out, in).</summary>
    public Parameter weight { get; }

    /// <summary>The bias, shape (out), or null.</summary>
    public Parameter? bias { get; }

    /// <inheritdoc/>
    public override torch.Tensor forward(torch.Tensor input) =>
        torch.Tensor.Wrap(NativeMethods.vae_linear(input.Handle, weight.Handle, bias?.Handle ?? IntPtr.Zero),
            () => $"Linear({_inFeatures} → {_outFeatures}) on an input of shape {input.ShapeString()}");
}
