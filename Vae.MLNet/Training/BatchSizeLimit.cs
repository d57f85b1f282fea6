namespace Vae.MLNet.Training;

/// <summary>
/// The bounds of BatchSize (VaeOptions and AutoencoderOptions): a mini-batch is one array of rows × values, so its
/// size is bounded before any arithmetic on it can overflow.
/// </summary>
internal static class BatchSizeLimit
{
    /// <exception cref="ArgumentOutOfRangeException">BatchSize is below 1 or above <see cref="VaeOptions.MaxBatchSize"/>.</exception>
    public static void Validate(int batchSize)
    {
        if (batchSize is < 1 or > VaeOptions.MaxBatchSize)
            throw new ArgumentOutOfRangeException(nameof(VaeOptions.BatchSize), batchSize,
                $"BatchSize must be between 1 and {VaeOptions.MaxBatchSize:N0} rows (VaeOptions.MaxBatchSize); a batch larger than the data is the whole data.");
    }

    /// <summary>At Fit: whether a full batch of the input column's rows fits in one array.</summary>
    /// <exception cref="ArgumentOutOfRangeException">BatchSize × the column's size exceeds the largest array.</exception>
    public static void CheckFits(int batchSize, int dimension, string column)
    {
        long values = (long)batchSize * dimension;
        if (values > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(VaeOptions.BatchSize), batchSize,
                $"A batch of {batchSize:N0} rows of column '{column}' ({dimension:N0} values each) holds {values:N0} values, more than one array can ({Array.MaxLength:N0}): " +
                $"use a BatchSize of at most {Array.MaxLength / dimension:N0}.");
    }
}
