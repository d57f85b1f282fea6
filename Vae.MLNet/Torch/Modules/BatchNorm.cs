using Vae.MLNet.Torch.Native;

namespace Vae.MLNet.Torch.Modules;

/// <summary>
/// Batch normalization over dimension 1. Training uses batch statistics and updates running_mean/running_var with
/// momentum; evaluation uses the running statistics. Affine weight starts at 1 and bias at 0, as in PyTorch.
/// </summary>
public abstract class BatchNorm : torch.nn.Module<torch.Tensor, torch.Tensor>
{
    private readonly double _eps, _momentum;
    private readonly int _expectedRank;

    private protected BatchNorm(string name, int expectedRank, long num_features, double eps, double momentum, bool affine, bool track_running_stats)
        : base(name)
    {
        if (num_features < 1) throw new ArgumentOutOfRangeException(nameof(num_features), $"{name} needs a positive number of features, got {num_features}.");
        _expectedRank = expectedRank;
        _eps = eps;
        _momentum = momentum;
        if (affine)
        {
            weight = Init.Constant([num_features], 1);
            bias = Init.Constant([num_features], 0);
            register_parameter("weight", weight);
            register_parameter("bias", bias);
        }
        if (track_running_stats)
        {
            running_mean = Init.Buffer([num_features], 0);
            running_var = Init.Buffer([num_features], 1);
            num_batches_tracked = Init.Buffer([], 0, torch.ScalarType.Int64);
            register_buffer("running_mean", running_mean);
            register_buffer("running_var", running_var);
            register_buffer("num_batches_tracked", num_batches_tracked);
        }
    }

    /// <summary>The scale γ, or null without affine.</summary>
    public Parameter? weight { get; }
    /// <summary>The shift β, or null without affine.</summary>
    public Parameter? bias { get; }
    /// <summary>The running mean, or null without running statistics.</summary>
    public torch.Tensor? running_mean { get; }
    /// <summary>The running (unbiased) variance, or null without running statistics.</summary>
    public torch.Tensor? running_var { get; }
    /// <summary>How many training batches updated the running statistics.</summary>
    public torch.Tensor? num_batches_tracked { get; }

    /// <inheritdoc/>
    public override torch.Tensor forward(torch.Tensor input)
    {
        long rank = input.Dimensions;
        if (rank != _expectedRank && !(_expectedRank == 2 && rank == 3))
            throw new ArgumentException($"{GetName()} expects a {_expectedRank}-D input, got shape {input.ShapeString()}.", nameof(input));
        bool useBatchStats = training || running_mean is null;
        if (training && num_batches_tracked is not null) num_batches_tracked.add_(1);
        return torch.Tensor.Wrap(
            NativeMethods.vae_batch_norm(input.Handle, weight?.Handle ?? IntPtr.Zero, bias?.Handle ?? IntPtr.Zero,
                running_mean?.Handle ?? IntPtr.Zero, running_var?.Handle ?? IntPtr.Zero, useBatchStats, _momentum, _eps),
            () => $"{GetName()} on an input of shape {input.ShapeString()}");
    }
}

/// <summary>Batch normalization of (N, C) or (N, C, L) inputs.</summary>
public sealed class BatchNorm1d : BatchNorm
{
    /// <summary>Creates the layer.</summary>
    public BatchNorm1d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true, bool track_running_stats = true)
        : base(nameof(BatchNorm1d), 2, num_features, eps, momentum, affine, track_running_stats) { }
}

/// <summary>Batch normalization of (N, C, H, W) inputs.</summary>
public sealed class BatchNorm2d : BatchNorm
{
    /// <summary>Creates the layer.</summary>
    public BatchNorm2d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true, bool track_running_stats = true)
        : base(nameof(BatchNorm2d), 4, num_features, eps, momentum, affine, track_running_stats) { }
}
