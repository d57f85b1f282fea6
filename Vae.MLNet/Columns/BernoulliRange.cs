using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Columns;

/// <summary>
/// The one range rule of the Bernoulli likelihood: x·log p + (1 − x)·log(1 − p) is a log-likelihood only for x in
/// [0, 1], so wherever it is computed on the input (Fit, Evaluate, MeasureAmortizationGap and the AnomalyScore
/// column, in Transform and PredictionEngine alike) a value outside is refused, saying how to bring the column into
/// range. The encoder and decoder are functions of any finite input: LatentMean, LatentLogVariance, Reconstruction
/// and Encode take rows that NormalizeMinMax left outside [0, 1] (it does not clip rows it was not fitted on).
/// </summary>
internal static class BernoulliRange
{
    /// <summary>Why <paramref name="value"/> of <paramref name="column"/> cannot be read, and what to do; after "…; ".</summary>
    public static string Problem(DataViewSchema.Column column, float value) =>
        "the Bernoulli likelihood needs values in [0, 1]: " + Hint(column.Type as VectorDataViewType, value);

    /// <summary>
    /// ExtractPixels' scaling only for a column that came from images (its vector carries the dimensions [C, H, W],
    /// as ExtractPixels writes) and a value that looks like an unscaled 8-bit pixel; otherwise the scaling of any column.
    /// </summary>
    private static string Hint(VectorDataViewType? type, float value)
    {
        if (type?.Dimensions.Length == 3 && value is > 1 and <= 255)
            return "pixels of 0–255 are what ExtractPixels writes unscaled: give it scaleImage: 1f / 255";
        return "scale the column into [0, 1] with NormalizeMinMax (which does not clip: rows beyond the range it was fitted on fall outside [0, 1], " +
            "so clip them before the VAE), or use the Gaussian likelihood";
    }
}
