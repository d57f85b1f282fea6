using TorchSharp;
using TorchSharp.Modules;
using Vae.MLNet.Acceleration;
using static TorchSharp.torch;

namespace Vae.MLNet.Networks;

/// <summary>
/// y = x·Wᵀ + b, as torch's Linear (parameters "weight" (out, in) and "bias" (out), drawn as Linear draws them, so
/// the model file and the ONNX export are a Linear's), computed by the network's acceleration
/// (<see cref="IAcceleration.Linear"/>), which may use the library's own matrix product.
/// </summary>
internal sealed class LinearLayer : nn.Module<Tensor, Tensor>
{
    private readonly IAcceleration _acceleration;

    /// <param name="inputs">Input features.</param>
    /// <param name="outputs">Output features.</param>
    /// <param name="acceleration">How the layer computes.</param>
    public LinearLayer(long inputs, long outputs, IAcceleration acceleration) : base("Linear")
    {
        _acceleration = acceleration;
        using var initial = nn.Linear(inputs, outputs);
        register_parameter("weight", CopyOf(initial.weight!));
        register_parameter("bias", CopyOf(initial.bias!));
    }

    /// <summary>A parameter holding a copy of <paramref name="initial"/>'s values (the detached view released at once: it would otherwise live until a collection).</summary>
    internal static Parameter CopyOf(Tensor initial)
    {
        using var detached = initial.detach();
        return new Parameter(detached.clone());
    }

    /// <summary>W, (outputs, inputs).</summary>
    public Parameter Weight => get_parameter("weight")!;

    /// <summary>b, (outputs).</summary>
    public Parameter Bias => get_parameter("bias")!;

    public override Tensor forward(Tensor input) => _acceleration.Linear(input, Weight, Bias);
}
