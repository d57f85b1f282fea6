using System.Numerics;
using Vae.MLNet.Data;

namespace Vae.MLNet.Transforms;

/// <summary>
/// Replaces missing values (NaN) of float or double columns (<c>ReplaceMissingValues</c>) by 0, or by the mean, minimum,
/// maximum or most frequent value (the smallest among ties) learned in one pass, per slot of a vector
/// (<c>imputeBySlot</c>, needs a known size) or over all its items. A slot with no values gets 0.
/// </summary>
public sealed class MissingValueReplacingEstimator : IEstimator<MissingValueReplacingTransformer>
{
    private readonly ColumnOptions[] _columns;

    internal MissingValueReplacingEstimator(ColumnOptions[] columns)
    {
        if (columns is not { Length: > 0 })
            throw new ArgumentException("At least one column is needed.", nameof(columns));
        _columns = columns;
    }

    /// <summary>What replaces a missing value.</summary>
    public enum ReplacementMode
    {
        /// <summary>The default value (0).</summary>
        DefaultValue = 0,

        /// <summary>The mean of the values seen.</summary>
        Mean = 1,

        /// <summary>The smallest value seen.</summary>
        Minimum = 2,

        /// <summary>The largest value seen.</summary>
        Maximum = 3,

        /// <summary>The most frequent value seen.</summary>
        Mode = 4,
    }

    internal sealed record ColumnOptions(string OutputColumnName, string InputColumnName, ReplacementMode Mode, bool ImputeBySlot);

    /// <inheritdoc/>
    public MissingValueReplacingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var stats = _columns.Select(o =>
        {
            var c = SchemaErrors.Find(input.Schema, o.InputColumnName);
            StatisticsReader.FloatingItemType(c);
            int slots = o.ImputeBySlot && c.Type is VectorDataViewType { IsKnownSize: true } v ? v.Size : 1;
            return (Column: c, Stats: new SlotStatistics(slots, o.Mode == ReplacementMode.Mode), MaxRows: long.MaxValue);
        }).ToArray();
        StatisticsReader.Run(input, stats.Where((_, i) => _columns[i].Mode != ReplacementMode.DefaultValue).ToArray());
        return new MissingValueReplacingTransformer(_columns.Select((o, i) =>
        {
            var s = stats[i].Stats;
            var replacement = new double[s.Slots];
            for (int slot = 0; slot < replacement.Length && o.Mode != ReplacementMode.DefaultValue; slot++)
            {
                replacement[slot] = s.Count(slot) == 0 ? 0 : o.Mode switch
                {
                    ReplacementMode.Mean => s.Mean(slot),
                    ReplacementMode.Minimum => s.Min(slot),
                    ReplacementMode.Maximum => s.Max(slot),
                    _ => s.Mode(slot),
                };
            }
            return new MissingValueReplacingTransformer.FittedColumn(o.OutputColumnName, o.InputColumnName, replacement);
        }).ToArray());
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return ShapeHelper.With(inputSchema, _columns.Select(o =>
        {
            var c = SchemaErrors.Find(inputSchema, o.InputColumnName);
            if (!ShapeHelper.IsFloating(c))
                throw SchemaErrors.Mismatch(c.Name, "Single or Double, scalar or vector", c.GetTypeString());
            return new SchemaShape.Column(o.OutputColumnName, c.Kind, c.ItemType, false, c.Annotations);
        }));
    }
}

/// <summary>The fitted <see cref="MissingValueReplacingEstimator"/>.</summary>
public sealed class MissingValueReplacingTransformer : OneToOneTransformerBase
{
    internal const string Kind = "MissingValueReplacingTransformer";
    private readonly FittedColumn[] _columns;

    internal MissingValueReplacingTransformer(FittedColumn[] columns) : base(columns.Select(c => (c.Output, c.Input)).ToArray()) => _columns = columns;

    internal sealed record FittedColumn(string Output, string Input, double[] Replacement);

    /// <summary>The replacement values of column pair <paramref name="pairIndex"/>: one per slot, or a single one for all.</summary>
    public IReadOnlyList<double> GetReplacements(int pairIndex) => _columns[pairIndex].Replacement;

    /// <inheritdoc/>
    protected override DataViewSchema.DetachedColumn MakeOutputColumn(int pairIndex, DataViewSchema.Column inputColumn)
    {
        StatisticsReader.FloatingItemType(inputColumn);
        int slots = _columns[pairIndex].Replacement.Length;
        if (slots > 1 && (inputColumn.Type as VectorDataViewType)?.Size != slots)
            throw SchemaErrors.Mismatch(inputColumn.Name, $"a vector of size {slots} (as when fitted)", inputColumn.Type);
        return new(ColumnPairs[pairIndex].outputColumnName, inputColumn.Type, inputColumn.Annotations);
    }

    /// <inheritdoc/>
    protected override Delegate MakeGetter(DataViewRow input, int pairIndex, DataViewSchema.Column inputColumn) =>
        Generic.Invoke<Delegate>(new Func<DataViewRow, DataViewSchema.Column, double[], Delegate>(MakeGetter<float>),
            StatisticsReader.FloatingItemType(inputColumn).RawType, input, inputColumn, _columns[pairIndex].Replacement);

    private static Delegate MakeGetter<T>(DataViewRow input, DataViewSchema.Column column, double[] replacement)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var r = replacement.Select(T.CreateTruncating).ToArray();
        if (column.Type is not VectorDataViewType)
        {
            var scalar = input.GetGetter<T>(column);
            return (ValueGetter<T>)((ref T value) =>
            {
                scalar(ref value);
                if (T.IsNaN(value))
                    value = r[0];
            });
        }
        var getter = input.GetGetter<VBuffer<T>>(column);
        return (ValueGetter<VBuffer<T>>)((ref VBuffer<T> value) =>
        {
            getter(ref value);
            var editor = VBufferEditor.CreateFromBuffer(ref value);
            var indices = value.GetIndices();
            for (int k = 0; k < editor.Values.Length; k++)
            {
                if (T.IsNaN(editor.Values[k]))
                    editor.Values[k] = r.Length == 1 ? r[0] : r[value.IsDense ? k : indices[k]];
            }
            value = editor.Commit();
        });
    }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext ctx)
    {
        ctx.SetKind(Kind);
        ctx.WriteOptions(new Options { Columns = ColumnPairJson.From(ColumnPairs) });
        for (int i = 0; i < _columns.Length; i++)
            ctx.WriteArray($"replacement{i}", _columns[i].Replacement);
    }

    internal static MissingValueReplacingTransformer Load(ModelLoadContext ctx)
    {
        var pairs = ColumnPairJson.To(ctx.ReadOptions<Options>().Columns, ctx.Where);
        return new MissingValueReplacingTransformer(pairs.Select((p, i) =>
        {
            var replacement = ctx.ReadArray<double>($"replacement{i}");
            if (replacement.Length == 0)
                throw new InvalidDataException($"{ctx.Where}: column {i} has no replacement values.");
            return new FittedColumn(p.outputColumnName, p.inputColumnName, replacement);
        }).ToArray());
    }

    private sealed class Options
    {
        public ColumnPairJson[]? Columns { get; set; }
    }
}
