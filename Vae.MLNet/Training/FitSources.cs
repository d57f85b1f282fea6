using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Vae.MLNet.Columns;
using Vae.MLNet.Networks.Likelihoods;

namespace Vae.MLNet.Training;

/// <summary>
/// The batch sources of a Fit, made the same way for both models: the training rows (through ML.NET's pool shuffle
/// when the view cannot shuffle, with a warning), the validation split, and the probe the post-training check reads;
/// data too small for the options is refused here when the view knows its row count.
/// </summary>
/// <param name="Training">The training rows, shuffled each epoch.</param>
/// <param name="Validation">The validation split, or null without one.</param>
/// <param name="Probe">The view as given: the post-training check reads its first batch (a pool shuffle would fill its pool first).</param>
internal sealed record FitSources(DataViewBatchSource Training, DataViewBatchSource? Validation, DataViewBatchSource Probe)
{
    /// <summary>Rows held by the pool shuffle of a view that cannot shuffle (10,000 MNIST rows are 31 MB).</summary>
    internal const int ShufflePoolRows = 10_000;

    /// <exception cref="InvalidOperationException">The view says it has no rows.</exception>
    public static void RefuseEmpty(IDataView input, string column, string modelName)
    {
        if (input.GetRowCount() == 0)
            throw new InvalidOperationException($"The training data is empty: {modelName} needs at least one row in column '{column}'.");
    }

    /// <param name="input">The training view.</param>
    /// <param name="column">The checked input column.</param>
    /// <param name="dimension">Its vector size.</param>
    /// <param name="unitInterval">Whether values must be in [0, 1] (Bernoulli, binary cross-entropy).</param>
    /// <param name="options">The training settings (ValidationFraction).</param>
    /// <param name="seed">The Fit's seed (shuffling, the split).</param>
    /// <param name="useBatchNorm">Whether the network has batch norm: a last batch of one row is folded into the one before.</param>
    /// <param name="channel">Receives the warning about a view that cannot shuffle.</param>
    /// <param name="entryPoint">The catalog method, for the warning ("VaeEncode").</param>
    /// <param name="condition">A conditional VAE's condition column.</param>
    /// <param name="observation">The VAE's observation model (missing values).</param>
    /// <exception cref="InvalidOperationException">The view knows its row count, and a split is empty or one training row meets batch norm.</exception>
    public static FitSources Create(IDataView input, DataViewSchema.Column column, int dimension, bool unitInterval, NeuralTrainingOptions options, int seed,
        bool useBatchNorm, IChannel channel, string entryPoint, ConditionColumn? condition = null, ObservationModel? observation = null)
    {
        bool validate = options.ValidationFraction > 0;
        if (!input.CanShuffle)
            channel.Warning($"the training view cannot shuffle, so each epoch shuffles its rows only within a pool of {ShufflePoolRows:N0} (ML.NET's ShuffleRows); AppendCacheCheckpoint before {entryPoint} shuffles them all.");
        // A view that cannot shuffle (a text file, a stream) is read through ML.NET's pool shuffle, so the epochs still
        // see their rows in new orders while the data streams; a cached view is shuffled whole.
        var shuffled = input.CanShuffle ? input : new MLContext(seed).Data.ShuffleRows(input, seed, ShufflePoolRows, shuffleSource: false);
        // Batch norm in training mode turns running_var into NaN on a batch of one row: such a last batch is folded
        // into the one before it. The validation pass runs in evaluation mode and needs no such care.
        var training = new DataViewBatchSource(shuffled, column, dimension, unitInterval, condition, validate ? RowSubset.Training : RowSubset.All,
            options.ValidationFraction, seed, unshuffled: input, observation)
        {
            MinimumBatchRows = useBatchNorm ? 2 : 1,
        };
        var validation = validate
            ? new DataViewBatchSource(input, column, dimension, unitInterval, condition, RowSubset.Validation, options.ValidationFraction, seed, observation: observation)
            : null;
        // Data too small for the options is refused before training when the view knows its row count (a pass over the
        // row ids alone); otherwise the training loop refuses it at the end of the first epoch, in the same words.
        if (input.GetRowCount() is long rowCount)
        {
            long trainingRows = rowCount;
            if (validate)
            {
                var (inTraining, inValidation) = training.CountSplit();
                ValidationSplit.Check(options.ValidationFraction, inTraining, inValidation);
                trainingRows = inTraining;
            }
            ValidationSplit.CheckBatchNorm(useBatchNorm, trainingRows, options.ValidationFraction);
        }
        var probe = new DataViewBatchSource(input, column, dimension, unitInterval, condition, observation: observation);
        return new FitSources(training, validation, probe);
    }
}
