using Vae.MLNet.Data;

namespace Vae.MLNet.Transforms;

/// <summary>
/// Maps values (text, numbers, booleans; scalars or vectors) to keys 1..N learned in one pass (<c>MapValueToKey</c>).
/// Missing values (NaN) and values not seen while fitting map to key 0. The output carries the <c>KeyValues</c>
/// annotation: the value of each key.
/// </summary>
public sealed class ValueToKeyMappingEstimator : IEstimator<ValueToKeyMappingTransformer>
{
    private readonly ColumnOptions[] _columns;
    private readonly IDataView? _keyData;

    internal ValueToKeyMappingEstimator(ColumnOptions[] columns, IDataView? keyData)
    {
        if (columns is not { Length: > 0 })
            throw new ArgumentException("At least one column is needed.", nameof(columns));
        _columns = columns;
        _keyData = keyData;
    }

    /// <summary>The order of the keys.</summary>
    public enum KeyOrdinality
    {
        /// <summary>Keys follow the order in which values first occur.</summary>
        ByOccurrence = 0,

        /// <summary>Keys follow the sorted order of the values (ordinal for text).</summary>
        ByValue = 1,
    }

    internal sealed record ColumnOptions(string OutputColumnName, string InputColumnName, int MaximumNumberOfKeys, KeyOrdinality Ordinality, bool AddKeyValueAnnotationsAsText);

    /// <inheritdoc/>
    public ValueToKeyMappingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var source = _keyData ?? input;
        var columns = _columns.Select(o =>
        {
            SchemaErrors.Find(input.Schema, o.InputColumnName);
            var c = _keyData != null && _keyData.Schema.GetColumnOrNull(o.InputColumnName) == null && _keyData.Schema.Count == 1
                ? _keyData.Schema[0]
                : SchemaErrors.Find(source.Schema, o.InputColumnName, _keyData != null ? "key data" : "input");
            return (Column: c, Builder: TermMap.Builder(ValueToKeyMappingTransformer.CheckItemType(c), o.MaximumNumberOfKeys));
        }).ToArray();

        using (var cursor = source.GetRowCursor(columns.Select(c => c.Column).Distinct()))
        {
            var adders = columns.Select(c => c.Builder.MakeAdder(cursor, cursor.Schema[c.Column.Index])).ToArray();
            while (cursor.MoveNext())
            {
                foreach (var add in adders)
                    add();
            }
        }
        var maps = columns.Select((c, i) =>
        {
            var map = c.Builder.Build(_columns[i].Ordinality == KeyOrdinality.ByValue);
            if (map.Count == 0)
                throw new InvalidOperationException($"Column '{c.Column.Name}' has no non-missing values to map to keys.");
            return map;
        }).ToArray();
        return new ValueToKeyMappingTransformer(_columns.Select((o, i) =>
            new ValueToKeyMappingTransformer.FittedColumn(o.OutputColumnName, o.InputColumnName, maps[i], o.AddKeyValueAnnotationsAsText)).ToArray());
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return ShapeHelper.With(inputSchema, _columns.Select(o =>
        {
            var c = SchemaErrors.Find(inputSchema, o.InputColumnName);
            if (c.IsKey || c.ItemType is not (NumberDataViewType or TextDataViewType or BooleanDataViewType))
                throw SchemaErrors.Mismatch(c.Name, "text, number or boolean values", c.GetTypeString());
            var keyValues = new SchemaShape.Column(AnnotationUtils.Kinds.KeyValues, SchemaShape.VectorKind.Vector,
                o.AddKeyValueAnnotationsAsText ? TextDataViewType.Instance : c.ItemType, false);
            var annotations = c.Annotations.TryFindColumn(AnnotationUtils.Kinds.SlotNames, out var slots) ? new SchemaShape([slots, keyValues]) : new SchemaShape([keyValues]);
            return new SchemaShape.Column(o.OutputColumnName, c.Kind, NumberDataViewType.UInt32, true, annotations);
        }));
    }
}

/// <summary>The fitted <see cref="ValueToKeyMappingEstimator"/>.</summary>
public sealed class ValueToKeyMappingTransformer : OneToOneTransformerBase
{
    internal const string Kind = "ValueToKeyMappingTransformer";
    private readonly FittedColumn[] _columns;

    internal ValueToKeyMappingTransformer(FittedColumn[] columns) : base(columns.Select(c => (c.Output, c.Input)).ToArray()) => _columns = columns;

    internal sealed record FittedColumn(string Output, string Input, TermMap Map, bool AsText);

    /// <summary>The number of keys learned for column pair <paramref name="pairIndex"/>.</summary>
    public int GetKeyCount(int pairIndex) => _columns[pairIndex].Map.Count;

    internal static PrimitiveDataViewType CheckItemType(DataViewSchema.Column c)
    {
        var item = c.Type is VectorDataViewType v ? v.ItemType : c.Type;
        return item is NumberDataViewType or TextDataViewType or BooleanDataViewType
            ? (PrimitiveDataViewType)item
            : throw SchemaErrors.Mismatch(c.Name, "text, number or boolean values (scalar or vector)", c.Type);
    }

    /// <inheritdoc/>
    protected override DataViewSchema.DetachedColumn MakeOutputColumn(int pairIndex, DataViewSchema.Column inputColumn)
    {
        var fitted = _columns[pairIndex];
        var item = CheckItemType(inputColumn);
        if (!item.Equals(fitted.Map.ItemType))
            throw SchemaErrors.Mismatch(inputColumn.Name, $"{fitted.Map.ItemType} values (as when fitted)", inputColumn.Type);
        var key = new KeyDataViewType(typeof(uint), fitted.Map.Count);
        var annotations = new DataViewSchema.Annotations.Builder();
        annotations.Add(inputColumn.Annotations, kind => kind == AnnotationUtils.Kinds.SlotNames);
        fitted.Map.AddKeyValues(annotations, fitted.AsText);
        DataViewType type = inputColumn.Type is VectorDataViewType v ? new VectorDataViewType(key, v.Dimensions) : key;
        return new(fitted.Output, type, annotations.ToAnnotations());
    }

    /// <inheritdoc/>
    protected override Delegate MakeGetter(DataViewRow input, int pairIndex, DataViewSchema.Column inputColumn) =>
        _columns[pairIndex].Map.MakeGetter(input, inputColumn);

    /// <inheritdoc/>
    public override void Save(ModelSaveContext ctx)
    {
        ctx.SetKind(Kind);
        var columns = new ColumnJson[_columns.Length];
        for (int i = 0; i < _columns.Length; i++)
        {
            var c = _columns[i];
            columns[i] = new ColumnJson { Output = c.Output, Input = c.Input, ItemType = TypeSpec.Format(c.Map.ItemType), AsText = c.AsText };
            if (c.Map.Terms is ReadOnlyMemory<char>[] text)
                columns[i].TextTerms = text.Select(t => t.ToString()).ToArray();
            else
                TermArrays.Write(ctx, $"terms{i}", c.Map.Terms);
        }
        ctx.WriteOptions(new Options { Columns = columns });
    }

    internal static ValueToKeyMappingTransformer Load(ModelLoadContext ctx)
    {
        var columns = ctx.ReadOptions<Options>().Columns;
        if (columns is not { Length: > 0 })
            throw new InvalidDataException($"{ctx.Where}: the key mapping has no columns.");
        return new ValueToKeyMappingTransformer(columns.Select((c, i) =>
        {
            if (string.IsNullOrEmpty(c.Output) || string.IsNullOrEmpty(c.Input))
                throw new InvalidDataException($"{ctx.Where}: column {i} has no name.");
            var type = TypeSpec.Parse(c.ItemType) as PrimitiveDataViewType;
            if (type is not (NumberDataViewType or TextDataViewType or BooleanDataViewType))
                throw new InvalidDataException($"{ctx.Where}: column {i} has item type '{c.ItemType}', which cannot be mapped to keys.");
            Array terms = type is TextDataViewType
                ? (c.TextTerms ?? throw new InvalidDataException($"{ctx.Where}: column {i} has no text terms.")).Select(t => (t ?? "").AsMemory()).ToArray()
                : TermArrays.Read(ctx, $"terms{i}", type.RawType);
            return new FittedColumn(c.Output, c.Input, TermMap.Create(type, terms), c.AsText);
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

        public string ItemType { get; set; } = "";

        public bool AsText { get; set; }

        public string[]? TextTerms { get; set; }
    }
}

/// <summary>Stores non-text terms as model arrays: float32, float64, uint8 for booleans, int64 for integers.</summary>
internal static class TermArrays
{
    public static void Write(ModelSaveContext ctx, string name, Array terms)
    {
        switch (terms)
        {
            case float[] f: ctx.WriteArray(name, f); break;
            case double[] d: ctx.WriteArray(name, d); break;
            case bool[] b: ctx.WriteArray(name, b.Select(x => x ? (byte)1 : (byte)0).ToArray()); break;
            case ulong[] u: ctx.WriteArray(name, u.Select(x => unchecked((long)x)).ToArray()); break;
            default: ctx.WriteArray(name, terms.Cast<object>().Select(Convert.ToInt64).ToArray()); break;
        }
    }

    public static Array Read(ModelLoadContext ctx, string name, Type type)
    {
        if (type == typeof(float))
            return ctx.ReadArray<float>(name);
        if (type == typeof(double))
            return ctx.ReadArray<double>(name);
        if (type == typeof(bool))
            return ctx.ReadArray<byte>(name).Select(b => b != 0).ToArray();
        var longs = ctx.ReadArray<long>(name);
        if (type == typeof(ulong))
            return longs.Select(x => unchecked((ulong)x)).ToArray();
        var result = Array.CreateInstance(type, longs.Length);
        try
        {
            for (int i = 0; i < longs.Length; i++)
                result.SetValue(Convert.ChangeType(longs[i], type, System.Globalization.CultureInfo.InvariantCulture), i);
        }
        catch (OverflowException e)
        {
            throw new InvalidDataException($"{ctx.Where}: array '{name}' holds a value out of range for {type.Name}.", e);
        }
        return result;
    }
}
