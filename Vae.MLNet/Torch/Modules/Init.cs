namespace Vae.MLNet.Torch.Modules;

/// <summary>PyTorch's default initialization of layers.</summary>
internal static class Init
{
    /// <summary>
    /// A parameter drawn from U(-1/√fanIn, 1/√fanIn): PyTorch's kaiming_uniform_(a = √5) for weights, which reduces to
    /// this bound, and its rule for biases.
    /// </summary>
    internal static Parameter UniformParameter(long[] shape, long fanIn)
    {
        double bound = fanIn > 0 ? 1.0 / Math.Sqrt(fanIn) : 0;
        using var noGrad = torch.no_grad();
        using var data = torch.empty(shape, null, null, false).DetachFromDisposeScope();
        data.uniform_(-bound, bound);
        return new Parameter(data);
    }

    internal static Parameter Constant(long[] shape, double value)
    {
        using var data = torch.full(shape, value).DetachFromDisposeScope();
        return new Parameter(data);
    }

    internal static torch.Tensor Buffer(long[] shape, double value, torch.ScalarType dtype = torch.ScalarType.Float32) =>
        torch.full(shape, value, dtype).DetachFromDisposeScope();
}
