using System.Globalization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Vae.MLNet.Networks;

/// <summary>
/// The MLP encoder body or decoder: its layers applied in order, like a Sequential (and named "0", "1", … as one
/// names them, so the parameters and model file are the same), except that the Linear layers run through
/// <see cref="PackedLinear"/>, whose products are faster than libtorch's where it serves.
/// </summary>
internal sealed class MlpStack : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor>[] _layers;

    public MlpStack(IEnumerable<nn.Module<Tensor, Tensor>> layers) : base(nameof(MlpStack))
    {
        _layers = [.. layers];
        for (int i = 0; i < _layers.Length; i++) register_module(i.ToString(CultureInfo.InvariantCulture), _layers[i]);
    }

    public override Tensor forward(Tensor input)
    {
        var x = input.alias();
        foreach (var layer in _layers)
        {
            using var previous = x;
            x = layer is Linear linear ? PackedLinear.Apply(linear, previous) : layer.call(previous);
        }
        return x;
    }
}
