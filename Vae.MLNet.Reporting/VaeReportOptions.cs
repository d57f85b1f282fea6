using Microsoft.ML;
namespace Vae.MLNet.Reporting;

/// <summary>Settings of <see cref="VaeReport.Write(VaeTransformer, IDataView, string, VaeReportOptions?)"/>.</summary>
public sealed class VaeReportOptions
{
    /// <summary>The page title. Default null: "VAE training report".</summary>
    public string? Title;

    /// <summary>
    /// The column that colours the latent-space plot: numbers, keys, booleans or text. Default "Label", used when the
    /// data has it; another name must exist. Null plots every point in one colour.
    /// </summary>
    public string? LabelColumnName = DefaultLabelColumnName;

    /// <summary>
    /// The image shape {C, H, W} (C = 1 for grayscale, 3 for RGB; C·H·W = the input size) of flattened images seen by
    /// an MLP VAE, so reconstructions and samples show as images. Default null: convolutional VAEs use their own
    /// image shape, MLP VAEs get line plots.
    /// </summary>
    public int[]? ImageShape;

    /// <summary>
    /// Plot latent dimensions 0 and 1 instead of the first two principal components when the latent space has more
    /// than two dimensions. Default false (PCA; a 2-D latent space is always plotted as it is).
    /// </summary>
    public bool UseFirstLatentDimensions;

    /// <summary>The first rows of the data that are encoded for the latent-space plot. Default 2000.</summary>
    public int MaxPoints = 2000;

    /// <summary>The rows shown beside their reconstructions (the first rows of the data). Default 8 (at most 6 panels for vector data).</summary>
    public int ReconstructionCount = 8;

    /// <summary>The samples drawn from the prior. Default 8 (at most 6 panels for vector data).</summary>
    public int SampleCount = 8;

    /// <summary>The seed of the prior samples, so a report can be regenerated identically. Default 0.</summary>
    public int Seed;

    /// <summary>Measure the amortization gap (its optimization is the slowest part of the report). Default true.</summary>
    public bool MeasureAmortizationGap = true;

    /// <summary>The rows (the first rows of the data) whose amortization gap is measured. Default 200.</summary>
    public int AmortizationGapRows = 200;

    /// <summary>Adam steps on each row's posterior when measuring the amortization gap. Default 50.</summary>
    public int AmortizationGapSteps = 50;

    internal const string DefaultLabelColumnName = "Label";

    internal void Validate(int inputDimension)
    {
        Positive(MaxPoints, nameof(MaxPoints));
        Positive(ReconstructionCount, nameof(ReconstructionCount));
        Positive(SampleCount, nameof(SampleCount));
        Positive(AmortizationGapRows, nameof(AmortizationGapRows));
        Positive(AmortizationGapSteps, nameof(AmortizationGapSteps));
        if (ImageShape is { } shape
            && (shape.Length != 3 || shape[0] is not (1 or 3) || shape[1] < 1 || shape[2] < 1 || (long)shape[0] * shape[1] * shape[2] != inputDimension))
            throw new ArgumentException(
                $"{nameof(ImageShape)} must be {{C, H, W}} with C = 1 (gray) or 3 (RGB) and C·H·W = the input size {inputDimension}, got {{{string.Join(", ", shape)}}}.",
                nameof(ImageShape));
    }

    private static void Positive(int value, string name)
    {
        if (value < 1) throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1.");
    }
}
