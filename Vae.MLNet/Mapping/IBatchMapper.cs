using Microsoft.ML;
using Vae.MLNet.Columns;

namespace Vae.MLNet.Mapping;

/// <summary>
/// What a transformer of this library computes for a batch of rows, as the shared cursor (<see cref="BatchCursor"/>),
/// view (<see cref="MappedDataView"/>) and PredictionEngine row (<see cref="BatchRowToRowMapper"/>) see it: one input
/// vector column (and an optional condition), a fixed list of added columns after the input's, and a Map that fills
/// the requested ones. Implementations hold no per-call state, so concurrent cursors can share one.
/// </summary>
internal interface IBatchMapper
{
    DataViewSchema InputSchema { get; }

    /// <summary>The input columns followed by the <see cref="AddedCount"/> added ones (which hide input columns of the same name).</summary>
    DataViewSchema OutputSchema { get; }

    /// <summary>The vector column the model reads.</summary>
    DataViewSchema.Column Input { get; }

    int InputDimension { get; }

    /// <summary>The condition column in the input schema (conditional VAE), or null.</summary>
    DataViewSchema.Column? Condition { get; }

    /// <summary>How the condition column is read, or null.</summary>
    ConditionColumn? ConditionDescription { get; }

    int AddedCount { get; }

    /// <summary>The input columns the added ones are computed from.</summary>
    IEnumerable<DataViewSchema.Column> Dependencies { get; }

    /// <summary>Output buffers for the added columns flagged in <paramref name="active"/> (one flag per added column, in order).</summary>
    BatchOutputs CreateOutputs(bool[] active, int capacity);

    /// <summary>Computes the active outputs for the rows of <paramref name="input"/>.</summary>
    /// <exception cref="ObjectDisposedException">The transformer was disposed.</exception>
    void Map(BatchInput input, BatchOutputs outputs);

    /// <summary>The disposed state of the transformer the mapper was made from.</summary>
    ModelLifetime Lifetime { get; }
}
