using static TorchSharp.torch;

namespace Vae.MLNet.Acceleration.Optimizer;

/// <summary>The optimizer's own <c>step()</c>: only the benchmarks' before figure (it is not safe beside other threads; <see cref="LibtorchAdamStep"/>).</summary>
internal sealed class TorchSharpAdamStep(optim.Optimizer optimizer) : IAdamStep
{
    public void Step() => optimizer.step();
}
