using System.Globalization;

namespace Vae.MLNet.Training;

/// <summary>
/// The refusals of a training set too small for the options: a ValidationFraction that leaves a split empty, and a
/// training set of one row with UseBatchNorm. Said the same way whether found before training (the view knows its row
/// count) or at the end of the first epoch (it does not).
/// </summary>
internal static class ValidationSplit
{
    /// <exception cref="InvalidOperationException">Either split is empty; the message names ValidationFraction, the row count and both sizes.</exception>
    public static void Check(double fraction, long training, long validation)
    {
        if (training > 0 && validation > 0) return;
        string empty = training == 0 ? "training" : "validation";
        string fix = training == 0 ? "lower ValidationFraction" : "raise ValidationFraction, or set it to 0 to train without validation (and without early stopping)";
        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
            $"ValidationFraction = {fraction} leaves the {empty} split empty: the {Rows(training + validation)} split into {training} training and {validation} validation rows. {Capitalized(fix)}, or train on more rows."));
    }

    /// <exception cref="InvalidOperationException">Batch norm is on and the training rows are fewer than two.</exception>
    public static void CheckBatchNorm(bool useBatchNorm, long training, double fraction)
    {
        if (!useBatchNorm || training >= 2) return;
        string which = fraction > 0 ? string.Create(CultureInfo.InvariantCulture, $"The training split (ValidationFraction = {fraction}) has") : "The training data has";
        throw new InvalidOperationException(
            $"{which} {Rows(training)}: UseBatchNorm needs at least 2 rows to train, since batch norm cannot estimate a variance from one row. Add rows or set UseBatchNorm = false.");
    }

    private static string Rows(long count) => count == 1 ? "1 row" : string.Create(CultureInfo.InvariantCulture, $"{count} rows");

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
