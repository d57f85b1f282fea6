using Vae.MLNet.Torch.Native;

namespace Vae.MLNet.Torch.Modules;

/// <summary>max(x, 0).</summary>
public sealed class ReLU() : torch.nn.Module<torch.Tensor, torch.Tensor>(nameof(ReLU))
{
    /// <inheritdoc/>
    public override torch.Tensor forward(torch.Tensor input) => input.relu();
}

/// <summary>x for x ≥ 0, negative_slope · x otherwise.</summary>
public sealed class LeakyReLU(double negative_slope = 0.01) : torch.nn.Module<torch.Tensor, torch.Tensor>(nameof(LeakyReLU))
{
    /// <inheritdoc/>
    public override torch.Tensor forward(torch.Tensor input) => torch.nn.functional.leaky_relu(input, negative_slope);
}

/// <summary>The logistic function.</summary>
public sealed class Sigmoid() : torch.nn.Module<torch.Tensor, torch.Tensor>(nameof(Sigmoid))
{
    /// <inheritdoc/>
    public override torch.Tensor forward(torch.Tensor input) => input.sigmoid();
}

/// <summary>Hyperbolic tangent.</summary>
public sealed class Tanh() : torch.nn.Module<torch.Tensor, torch.Tensor>(nameof(Tanh))
{
    /// <inheritdoc/>
    public override torch.Tensor forward(torch.Tensor input) => input.tanh();
}

/// <summary>Zeroes each element with probability p while training and scales the rest by 1/(1-p).</summary>
public sealed class Dropout : torch.nn.Module<torch.Tensor, torch.Tensor>
{
    private readonly double _p;

    /// <summary>Creates the layer.</summary>
    public Dropout(double p = 0.5) : base(nameof(Dropout))
    {
        if (p is < 0 or > 1 || double.IsNaN(p)) throw new ArgumentOutOfRangeException(nameof(p), $"Dropout probability must be in [0, 1], got {p}.");
        _p = p;
    }

    /// <inheritdoc/>
    public override torch.Tensor forward(torch.Tensor input) => torch.nn.functional.dropout(input, _p, training);
}

/// <summary>Merges dimensions start_dim..end_dim (by default everything but the batch dimension).</summary>
public sealed class Flatten(long start_dim = 1, long end_dim = -1) : torch.nn.Module<torch.Tensor, torch.Tensor>(nameof(Flatten))
{
    /// <inheritdoc/>
    public override torch.Tensor forward(torch.Tensor input) => input.flatten(start_dim, end_dim);
}

/// <summary>Splits one dimension into the given sizes, e.g. (N, 784) → (N, 1, 28, 28).</summary>
public sealed class Unflatten(long dim, long[] unflattened_size) : torch.nn.Module<torch.Tensor, torch.Tensor>(nameof(Unflatten))
{
    /// <inheritdoc/>
    public override torch.Tensor forward(torch.Tensor input) => input.unflatten(dim, unflattened_size);
}

/// <summary>Returns its input unchanged (a new handle to the same tensor).</summary>
public sealed class Identity() : torch.nn.Module<torch.Tensor, torch.Tensor>(nameof(Identity))
{
    /// <inheritdoc/>
    public override torch.Tensor forward(torch.Tensor input) => input.alias();
}
