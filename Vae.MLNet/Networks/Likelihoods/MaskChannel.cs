using static TorchSharp.torch;

namespace Vae.MLNet.Networks.Likelihoods;

/// <summary>
/// The encoder's input under <see cref="VaeMissingValues.Mask"/>: [x with NaN replaced by 0, m] with m = 1 where x
/// is observed and 0 where it is missing, so the encoder can tell a missing value from an observed 0 (inputs are
/// expected normalized, so 0 is the training mean's neighbourhood).
/// </summary>
internal static class MaskChannel
{
    /// <summary>The encoder's input width before any condition: the input's, twice with the mask channel.</summary>
    public static long EncoderInputDimension(VaeNetworkSpec spec) =>
        spec.MissingValues == VaeMissingValues.Mask ? 2L * spec.InputDimension : spec.InputDimension;

    /// <summary>(rows, 2D): the filled values, then the mask.</summary>
    public static Tensor Append(Tensor x)
    {
        using var missing = x.isnan();
        using var filled = x.nan_to_num();
        using var observed = missing.logical_not();
        using var mask = observed.to(x.dtype);
        return cat([filled, mask], 1);
    }
}
