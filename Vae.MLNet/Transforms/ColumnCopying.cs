using Vae.MLNet.Data;

namespace Vae.MLNet.Transforms;

/// <summary>Copies columns under new names (<c>CopyColumns</c>); the copy keeps type and annotations.</summary>
public sealed class ColumnCopyingEstimator : TrivialEstimator<ColumnCopyingTransformer>
{
    internal ColumnCopyingEstimator(params (string outputColumnName, string inputColumnName)[] columns)
        : base(new ColumnCopyingTransformer(columns))
    {
    }

    /// <inheritdoc/>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return ShapeHelper.With(inputSchema, Transformer.ColumnPairs.Select(p =>
        {
            var c = SchemaErrors.Find(inputSchema, p.inputColumnName);
            return new SchemaShape.Column(p.outputColumnName, c.Kind, c.ItemType, c.IsKey, c.Annotations);
        }));
    }
}

/// <summary>The fitted <see cref="ColumnCopyingEstimator"/>.</summary>
public sealed class ColumnCopyingTransformer : OneToOneTransformerBase
{
    internal const string Kind = "ColumnCopyingTransformer";

    internal ColumnCopyingTransformer(params (string outputColumnName, string inputColumnName)[] columns) : base(columns)
    {
    }

    /// <inheritdoc/>
    protected override DataViewSchema.DetachedColumn MakeOutputColumn(int pairIndex, DataViewSchema.Column inputColumn) =>
        new(ColumnPairs[pairIndex].outputColumnName, inputColumn.Type, inputColumn.Annotations);

    /// <inheritdoc/>
    protected override Delegate MakeGetter(DataViewRow input, int pairIndex, DataViewSchema.Column inputColumn) =>
        RowChecks.UntypedGetter(input, inputColumn);

    /// <inheritdoc/>
    public override void Save(ModelSaveContext ctx)
    {
        ctx.SetKind(Kind);
        ctx.WriteOptions(new Options { Columns = ColumnPairJson.From(ColumnPairs) });
    }

    internal static ColumnCopyingTransformer Load(ModelLoadContext ctx) =>
        new(ColumnPairJson.To(ctx.ReadOptions<Options>().Columns, ctx.Where));

    private sealed class Options
    {
        public ColumnPairJson[]? Columns { get; set; }
    }
}
