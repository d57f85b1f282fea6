namespace Vae.MLNet.Torch;

/// <summary>How a loss combines its per-element values (numbered as libtorch's at::Reduction).</summary>
public enum Reduction
{
    /// <summary>No reduction: one loss per element.</summary>
    None = 0,
    /// <summary>The mean over all elements.</summary>
    Mean = 1,
    /// <summary>The sum over all elements.</summary>
    Sum = 2,
}
