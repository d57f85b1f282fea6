namespace Vae.MLNet;

/// <summary>What the VAE does with NaN (missing) entries of its input column.</summary>
public enum VaeMissingValues
{
    /// <summary>NaN is an error naming the column, row and slot (the default).</summary>
    Refuse,
    /// <summary>
    /// NaN marks a missing value: it is left out of the reconstruction likelihood, the encoder sees 0 in its place
    /// beside a mask channel (1 observed, 0 missing), and the reconstruction fills it (imputation). MLP only.
    /// </summary>
    Mask,
}

/// <summary>The distribution of a range of input slots under <see cref="VaeOptions.SlotLikelihoods"/>.</summary>
public enum VaeSlotKind
{
    /// <summary>Independent Gaussians with the model's (learned or fixed) per-slot variance: continuous values.</summary>
    Gaussian,
    /// <summary>Independent Bernoullis, for values in [0, 1] (binary columns); the reconstruction is the probability.</summary>
    Bernoulli,
    /// <summary>
    /// One categorical over the whole range (a one-hot group, values in [0, 1] summing to 1); the decoder's outputs are
    /// logits, the reconstruction the softmax probabilities. Missing under <see cref="VaeMissingValues.Mask"/> means
    /// every slot of the group is NaN.
    /// </summary>
    Categorical,
}

/// <summary>The likelihood of input slots <paramref name="Start"/> … <paramref name="Start"/> + <paramref name="Length"/> − 1.</summary>
/// <param name="Start">The first slot (0-based).</param>
/// <param name="Length">How many slots (at least 2 for a categorical group).</param>
/// <param name="Kind">Their distribution.</param>
public sealed record VaeSlotLikelihood(int Start, int Length, VaeSlotKind Kind)
{
    /// <summary>The slot after the range.</summary>
    internal long End => (long)Start + Length;

    /// <inheritdoc/>
    public override string ToString() => $"({Start}, {Length}, {Kind})";
}
