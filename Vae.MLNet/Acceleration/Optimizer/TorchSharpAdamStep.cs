using static TorchSharp.torch;

namespace Vae.MLNet.Acceleration.Optimizer;

/// <summary>The optimizer's own <c>step()</c>.</summary>
internal sealed class TorchSharpAdamStep(optim.Optimizer optimizer) : IAdamStep
{
    public void Step() => optimizer.step();
}
