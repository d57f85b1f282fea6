using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Vae.MLNet.Networks.Flows;

/// <summary>
/// A linear layer whose weight is multiplied by a fixed 0/1 mask (Germain et al. 2015, MADE): output o sees input i
/// only where mask[o, i] = 1. The mask follows from the layer's degrees, so it is rebuilt, never saved.
/// </summary>
internal sealed class MaskedLinear : nn.Module<Tensor, Tensor>
{
    private readonly Linear _linear;
    // A plain field, not a buffer: it is not saved with the weights, since the degrees rebuild it.
    private readonly Tensor _mask;

    public MaskedLinear(int inputs, int outputs, bool[,] mask) : base(nameof(MaskedLinear))
    {
        _linear = nn.Linear(inputs, outputs);
        var values = new float[outputs * inputs];
        for (int o = 0; o < outputs; o++)
            for (int i = 0; i < inputs; i++)
                values[o * inputs + i] = mask[o, i] ? 1f : 0f;
        _mask = tensor(values, [outputs, inputs]).DetachFromDisposeScope();
        register_module("linear", _linear);
    }

    internal Linear Linear => _linear;

    public override Tensor forward(Tensor input)
    {
        var weight = _linear.weight!;
        // Read-only here, so concurrent inference may share the layer; on another device the mask is copied per call.
        using var mask = _mask.device_type == weight.device_type && _mask.device_index == weight.device_index && _mask.dtype == weight.dtype ? _mask.alias() : _mask.to(weight.dtype, weight.device);
        using var masked = weight * mask;
        return nn.functional.linear(input, masked, _linear.bias);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _mask.Dispose();
        base.Dispose(disposing);
    }
}
