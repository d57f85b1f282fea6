namespace Vae.MLNet.Trainers;

/// <summary>Receives one training row: its index in the dataset, dense features, label and example weight.</summary>
internal delegate void RowVisitor(int row, ReadOnlySpan<float> features, float label, float weight);

/// <summary>
/// Dense training data that the solvers read in full passes, so a source may stream rows from storage each pass.
/// </summary>
/// <remarks>
/// Labels: binary tasks treat a label greater than 0 as positive; multiclass tasks take 0-based class indices;
/// regression takes the value. Rows with missing values must be filtered out by the source, as ML.NET's cursors do.
/// </remarks>
internal interface ITrainingRows
{
    /// <summary>Length of every feature vector.</summary>
    int FeatureCount { get; }

    /// <summary>Number of rows a pass visits.</summary>
    int RowCount { get; }

    /// <summary>
    /// Visits every row once, in stored order, or in an order drawn from <paramref name="shuffle"/> when given.
    /// The row index passed to <paramref name="visitor"/> is the stored position either way.
    /// </summary>
    void ForEach(RowVisitor visitor, Random? shuffle = null);
}
