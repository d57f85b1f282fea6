using System.Numerics;
using Vae.MLNet.Data;

namespace Vae.MLNet.Transforms;

/// <summary>
/// Learns per-slot affine normalizations of float or double columns (scalars or vectors of known size) in one pass:
/// <list type="bullet">
/// <item>min-max: <c>x / max(|min|, |max|)</c> with fixZero (range [-1, 1], zeros and sparsity kept), otherwise <c>(x - min) / (max - min)</c>;</item>
/// <item>mean-variance: <c>x / sqrt(mean² + variance)</c> with fixZero, otherwise <c>(x - mean) / stddev</c>;
/// with useCdf, the standard normal CDF of <c>(x - mean) / stddev</c> (fixZero does not apply).</item>
/// </list>
/// Statistics ignore NaN and use at most <c>maximumExampleCount</c> rows; variance is the sample variance (n − 1).
/// A slot whose range or deviation is zero (or not finite) gets scale 1. NaN stays NaN.
/// </summary>
public sealed class NormalizingEstimator : IEstimator<NormalizingTransformer>
{
    private readonly ColumnOptions[] _columns;

    internal NormalizingEstimator(params ColumnOptions[] columns)
    {
        if (columns is not { Length: > 0 })
            throw new ArgumentException("At least one column is needed.", nameof(columns));
        _columns = columns;
    }

    /// <summary>Which statistics a column is normalized by.</summary>
    public enum NormalizationMode
    {
        /// <summary>By the minimum and maximum.</summary>
        MinMax,

        /// <summary>By the mean and variance.</summary>
        MeanVariance,
    }

    /// <summary>The normalization of one column.</summary>
    /// <param name="OutputColumnName">The output column.</param>
    /// <param name="InputColumnName">The input column.</param>
    /// <param name="Mode">The statistics used.</param>
    /// <param name="MaximumExampleCount">The most rows read to compute the statistics.</param>
    /// <param name="FixZero">Whether zero maps to zero (no shift).</param>
    /// <param name="UseCdf">For mean-variance: whether to output the normal CDF.</param>
    internal sealed record ColumnOptions(string OutputColumnName, string InputColumnName, NormalizationMode Mode, long MaximumExampleCount, bool FixZero, bool UseCdf);

    /// <inheritdoc/>
    public NormalizingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var columns = _columns.Select(o =>
        {
            var c = SchemaErrors.Find(input.Schema, o.InputColumnName);
            StatisticsReader.FloatingItemType(c, requireKnownSize: true);
            int slots = c.Type is VectorDataViewType v ? v.Size : 1;
            return (Column: c, Stats: new SlotStatistics(slots, trackFrequencies: false), MaxRows: Math.Max(1, o.MaximumExampleCount));
        }).ToArray();
        StatisticsReader.Run(input, columns);
        var fitted = new NormalizingTransformer.FittedColumn[_columns.Length];
        for (int i = 0; i < _columns.Length; i++)
        {
            var (o, stats) = (_columns[i], columns[i].Stats);
            var offset = new double[stats.Slots];
            var scale = new double[stats.Slots];
            for (int s = 0; s < stats.Slots; s++)
                (offset[s], scale[s]) = OffsetAndScale(o, stats, s);
            fitted[i] = new NormalizingTransformer.FittedColumn(o.OutputColumnName, o.InputColumnName, o.Mode == NormalizationMode.MeanVariance && o.UseCdf, offset, scale);
        }
        return new NormalizingTransformer(fitted);
    }

    private static (double Offset, double Scale) OffsetAndScale(ColumnOptions o, SlotStatistics stats, int s)
    {
        if (stats.Count(s) == 0)
            return (0, 1);
        double min = stats.Min(s), max = stats.Max(s), mean = stats.Mean(s), variance = stats.Variance(s);
        return o.Mode switch
        {
            NormalizationMode.MinMax when o.FixZero => (0, Inverse(Math.Max(Math.Abs(min), Math.Abs(max)))),
            NormalizationMode.MinMax => (min, Inverse(max - min)),
            NormalizationMode.MeanVariance when o.UseCdf || !o.FixZero => (mean, Inverse(Math.Sqrt(variance))),
            _ => (0, Inverse(Math.Sqrt(mean * mean + variance))),
        };
    }

    private static double Inverse(double x) => x > 0 && double.IsFinite(x) && double.IsFinite(1 / x) ? 1 / x : 1;

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return ShapeHelper.With(inputSchema, _columns.Select(o =>
        {
            var c = SchemaErrors.Find(inputSchema, o.InputColumnName);
            if (!ShapeHelper.IsFloating(c) || c.Kind == SchemaShape.VectorKind.VariableVector)
                throw SchemaErrors.Mismatch(c.Name, "Single or Double, scalar or vector of known size", c.GetTypeString());
            var annotations = new List<SchemaShape.Column> { new(AnnotationUtils.Kinds.IsNormalized, SchemaShape.VectorKind.Scalar, BooleanDataViewType.Instance, false) };
            if (c.Annotations.TryFindColumn(AnnotationUtils.Kinds.SlotNames, out var slotNames))
                annotations.Add(slotNames);
            return new SchemaShape.Column(o.OutputColumnName, c.Kind, c.ItemType, false, new SchemaShape(annotations));
        }));
    }
}

/// <summary>The fitted <see cref="NormalizingEstimator"/>: per slot, <c>(x - offset) * scale</c>, optionally through the normal CDF.</summary>
public sealed class NormalizingTransformer : OneToOneTransformerBase
{
    internal const string Kind = "NormalizingTransformer";
    private readonly FittedColumn[] _columns;

    internal NormalizingTransformer(FittedColumn[] columns)
        : base(columns.Select(c => (c.Output, c.Input)).ToArray()) => _columns = columns;

    internal sealed record FittedColumn(string Output, string Input, bool Cdf, double[] Offset, double[] Scale);

    /// <summary>The per-slot offsets of column pair <paramref name="pairIndex"/>.</summary>
    public IReadOnlyList<double> GetOffsets(int pairIndex) => _columns[pairIndex].Offset;

    /// <summary>The per-slot scales of column pair <paramref name="pairIndex"/>.</summary>
    public IReadOnlyList<double> GetScales(int pairIndex) => _columns[pairIndex].Scale;

    /// <inheritdoc/>
    protected override DataViewSchema.DetachedColumn MakeOutputColumn(int pairIndex, DataViewSchema.Column inputColumn)
    {
        StatisticsReader.FloatingItemType(inputColumn, requireKnownSize: true);
        int size = inputColumn.Type is VectorDataViewType v ? v.Size : 1;
        if (size != _columns[pairIndex].Scale.Length)
            throw SchemaErrors.Mismatch(inputColumn.Name, $"a column of size {_columns[pairIndex].Scale.Length} (as when fitted)", inputColumn.Type);
        var annotations = new DataViewSchema.Annotations.Builder();
        annotations.Add(inputColumn.Annotations, kind => kind == AnnotationUtils.Kinds.SlotNames);
        annotations.Add(AnnotationUtils.Kinds.IsNormalized, BooleanDataViewType.Instance, true);
        return new(ColumnPairs[pairIndex].outputColumnName, inputColumn.Type, annotations.ToAnnotations());
    }

    /// <inheritdoc/>
    protected override Delegate MakeGetter(DataViewRow input, int pairIndex, DataViewSchema.Column inputColumn) =>
        Generic.Invoke<Delegate>(new Func<DataViewRow, DataViewSchema.Column, FittedColumn, Delegate>(MakeGetter<float>),
            StatisticsReader.FloatingItemType(inputColumn).RawType, input, inputColumn, _columns[pairIndex]);

    private static Delegate MakeGetter<T>(DataViewRow input, DataViewSchema.Column column, FittedColumn c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[] offset = c.Offset, scale = c.Scale;
        bool cdf = c.Cdf;
        if (column.Type is not VectorDataViewType)
        {
            var scalar = input.GetGetter<T>(column);
            return (ValueGetter<T>)((ref T value) =>
            {
                scalar(ref value);
                value = Apply(value, offset[0], scale[0], cdf);
            });
        }
        var getter = input.GetGetter<VBuffer<T>>(column);
        bool keepsZero = !cdf && offset.All(o => o == 0);
        var offsetT = offset.Select(T.CreateTruncating).ToArray();
        var scaleT = scale.Select(T.CreateTruncating).ToArray();
        var source = default(VBuffer<T>);
        return (ValueGetter<VBuffer<T>>)((ref VBuffer<T> value) =>
        {
            getter(ref source);
            var values = source.GetValues();
            if (!source.IsDense && keepsZero)
            {
                var sparse = VBufferEditor.Create(ref value, source.Length, values.Length);
                var indices = source.GetIndices();
                indices.CopyTo(sparse.Indices);
                for (int k = 0; k < values.Length; k++)
                    sparse.Values[k] = values[k] * scaleT[indices[k]];
                value = sparse.Commit();
                return;
            }
            var dense = VBufferEditor.Create(ref value, source.Length);
            source.CopyTo(dense.Values);
            if (cdf)
            {
                for (int slot = 0; slot < dense.Values.Length; slot++)
                    dense.Values[slot] = Apply(dense.Values[slot], offset[slot], scale[slot], cdf: true);
            }
            else
            {
                Affine(dense.Values, offsetT, scaleT);
            }
            value = dense.Commit();
        });
    }

    // x = (x - offset) * scale, vectorized: this runs per row on every prediction.
    private static void Affine<T>(Span<T> x, T[] offset, T[] scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var v = (new Vector<T>(x[i..]) - new Vector<T>(offset, i)) * new Vector<T>(scale, i);
                v.CopyTo(x[i..]);
            }
        }
        for (; i < x.Length; i++)
            x[i] = (x[i] - offset[i]) * scale[i];
    }

    private static T Apply<T>(T x, double offset, double scale, bool cdf) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double z = (double.CreateTruncating(x) - offset) * scale;
        return T.CreateTruncating(cdf ? NormalCdf(z) : z);
    }

    /// <summary>The standard normal CDF, via <see cref="Erf"/>.</summary>
    internal static double NormalCdf(double z) => double.IsNaN(z) ? double.NaN : 0.5 * (1 + Erf(z / Math.Sqrt(2)));

    /// <summary>The error function (Abramowitz and Stegun 7.1.26; absolute error below 1.5e-7).</summary>
    internal static double Erf(double x)
    {
        double t = 1 / (1 + 0.3275911 * Math.Abs(x));
        double y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return x >= 0 ? y : -y;
    }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext ctx)
    {
        ctx.SetKind(Kind);
        ctx.WriteOptions(new Options { Columns = _columns.Select(c => new ColumnJson { Output = c.Output, Input = c.Input, Cdf = c.Cdf }).ToArray() });
        for (int i = 0; i < _columns.Length; i++)
        {
            ctx.WriteArray($"offset{i}", _columns[i].Offset);
            ctx.WriteArray($"scale{i}", _columns[i].Scale);
        }
    }

    internal static NormalizingTransformer Load(ModelLoadContext ctx)
    {
        var columns = ctx.ReadOptions<Options>().Columns;
        if (columns is not { Length: > 0 })
            throw new InvalidDataException($"{ctx.Where}: the normalizer has no columns.");
        return new NormalizingTransformer(columns.Select((c, i) =>
        {
            var offset = ctx.ReadArray<double>($"offset{i}", out var shape);
            var scale = ctx.ReadArray<double>($"scale{i}", shape);
            if (string.IsNullOrEmpty(c.Output) || string.IsNullOrEmpty(c.Input))
                throw new InvalidDataException($"{ctx.Where}: column {i} has no name.");
            return new FittedColumn(c.Output, c.Input, c.Cdf, offset, scale);
        }).ToArray());
    }

    private sealed class Options
    {
        public ColumnJson[]? Columns { get; set; }
    }

    private sealed class ColumnJson
    {
        public string Output { get; set; } = "";

        public string Input { get; set; } = "";

        public bool Cdf { get; set; }
    }
}
