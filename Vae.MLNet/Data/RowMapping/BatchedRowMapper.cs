namespace Vae.MLNet.Data;

/// <summary>
/// A mapper that computes its added columns for many rows in one call: a cursor reads up to <see cref="BatchSize"/>
/// input rows, calls <see cref="MapBatch"/> once, then serves the rows one by one. Suited to neural networks
/// (one forward pass per batch). Single-row mapping (prediction engines) calls it with batches of one row.
/// </summary>
/// <example>
/// <code>
/// sealed class SumMapper(DataViewSchema input) : BatchedRowMapper(input, batchSize: 256)
/// {
///     protected override DataViewSchema.DetachedColumn[] GetOutputColumns() => [new("Sum", NumberDataViewType.Single)];
///     protected override IEnumerable&lt;DataViewSchema.Column&gt; GetInputColumns() => [InputSchema["Features"]];
///     protected override void MapBatch(RowBatch inputs, RowBatch outputs)
///     {
///         var features = inputs.GetColumn&lt;VBuffer&lt;float&gt;&gt;(InputSchema["Features"]);
///         var sums = outputs.GetColumn&lt;float&gt;(0);
///         for (int i = 0; i &lt; inputs.Count; i++)
///         {
///             float s = 0;
///             foreach (float v in features[i].GetValues()) s += v;
///             sums[i] = s;
///         }
///     }
/// }
/// </code>
/// </example>
public abstract class BatchedRowMapper : RowMapperBase
{
    private DataViewSchema.Column[]? _inputColumns;

    /// <summary>Creates a mapper of rows of <paramref name="inputSchema"/> reading <paramref name="batchSize"/> rows per call.</summary>
    protected BatchedRowMapper(DataViewSchema inputSchema, int batchSize) : base(inputSchema)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        BatchSize = batchSize;
    }

    /// <summary>The most rows passed to one <see cref="MapBatch"/> call.</summary>
    public int BatchSize { get; }

    /// <summary>The input columns <see cref="MapBatch"/> reads; every added column depends on all of them.</summary>
    protected abstract IEnumerable<DataViewSchema.Column> GetInputColumns();

    /// <summary>
    /// Computes the added columns for <c>inputs.Count</c> rows: read input columns from <paramref name="inputs"/>
    /// (indexed like <see cref="RowMapperBase.InputSchema"/>) and write each active added column of
    /// <paramref name="outputs"/> (index j = the j-th column of <see cref="RowMapperBase.GetOutputColumns"/>).
    /// </summary>
    protected abstract void MapBatch(RowBatch inputs, RowBatch outputs);

    internal DataViewSchema.Column[] InputColumns => _inputColumns ??= GetInputColumns().ToArray();

    internal void Map(RowBatch inputs, RowBatch outputs) => MapBatch(inputs, outputs);

    private protected sealed override IEnumerable<DataViewSchema.Column> DependenciesOfAdded(int addedIndex) => InputColumns;

    private protected sealed override DataViewRow MakeRow(DataViewRow input, bool[] outputActive) =>
        new BatchedRow(this, input, outputActive);

    internal override DataViewRowCursor MakeCursor(DataViewRowCursor input, bool[] outputActive) =>
        new BatchingCursor(this, input, outputActive);

    /// <summary>Flags of the added columns that are active.</summary>
    internal bool[] AddedActive(bool[] outputActive) => outputActive.AsSpan(InputSchema.Count).ToArray();
}
