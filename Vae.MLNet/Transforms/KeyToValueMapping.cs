using Vae.MLNet.Data;

namespace Vae.MLNet.Transforms;

/// <summary>
/// Maps keys back to the values in their <c>KeyValues</c> annotation (<c>MapKeyToValue</c>). Key 0 (missing) or a
/// key beyond the annotation maps to NaN for float and double values, and to the default value otherwise.
/// </summary>
public sealed class KeyToValueMappingEstimator : TrivialEstimator<KeyToValueMappingTransformer>
{
    internal KeyToValueMappingEstimator(params (string outputColumnName, string inputColumnName)[] columns)
        : base(new KeyToValueMappingTransformer(columns))
    {
    }

    /// <inheritdoc/>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return ShapeHelper.With(inputSchema, Transformer.ColumnPairs.Select(p =>
        {
            var c = SchemaErrors.Find(inputSchema, p.inputColumnName);
            if (!c.IsKey || !c.Annotations.TryFindColumn(AnnotationUtils.Kinds.KeyValues, out var keyValues))
                throw SchemaErrors.Mismatch(c.Name, "a key column with KeyValues annotation", c.GetTypeString());
            return new SchemaShape.Column(p.outputColumnName, c.Kind, keyValues.ItemType, keyValues.IsKey);
        }));
    }
}

/// <summary>The <see cref="KeyToValueMappingEstimator"/>'s transformer; the values come from the input schema's annotation.</summary>
public sealed class KeyToValueMappingTransformer : OneToOneTransformerBase
{
    internal const string Kind = "KeyToValueMappingTransformer";

    internal KeyToValueMappingTransformer(params (string outputColumnName, string inputColumnName)[] columns) : base(columns)
    {
    }

    private static (KeyDataViewType Key, VectorDataViewType Values) Check(DataViewSchema.Column c)
    {
        var item = c.Type is VectorDataViewType v ? v.ItemType : c.Type;
        if (item is not KeyDataViewType key || item.RawType != typeof(uint))
            throw SchemaErrors.Mismatch(c.Name, "a key column of UInt32 (scalar or vector)", c.Type);
        var values = c.Annotations.Schema.GetColumnOrNull(AnnotationUtils.Kinds.KeyValues);
        if (values?.Type is not VectorDataViewType valuesType)
            throw SchemaErrors.Mismatch(c.Name, "a key column with a KeyValues annotation", $"{c.Type} without one");
        return (key, valuesType);
    }

    /// <inheritdoc/>
    protected override DataViewSchema.DetachedColumn MakeOutputColumn(int pairIndex, DataViewSchema.Column inputColumn)
    {
        var (_, values) = Check(inputColumn);
        var annotations = new DataViewSchema.Annotations.Builder();
        annotations.Add(inputColumn.Annotations, kind => kind == AnnotationUtils.Kinds.SlotNames);
        DataViewType type = inputColumn.Type is VectorDataViewType v ? new VectorDataViewType(values.ItemType, v.Dimensions) : values.ItemType;
        return new(ColumnPairs[pairIndex].outputColumnName, type, annotations.ToAnnotations());
    }

    /// <inheritdoc/>
    protected override Delegate MakeGetter(DataViewRow input, int pairIndex, DataViewSchema.Column inputColumn) =>
        Generic.Invoke<Delegate>(new Func<DataViewRow, DataViewSchema.Column, Delegate>(MakeGetter<int>), Check(inputColumn).Values.ItemType.RawType, input, inputColumn);

    private static Delegate MakeGetter<T>(DataViewRow input, DataViewSchema.Column column)
    {
        var buffer = default(VBuffer<T>);
        column.GetKeyValues(ref buffer);
        var values = buffer.DenseValues().ToArray();
        T missing = typeof(T) == typeof(float) ? (T)(object)float.NaN : typeof(T) == typeof(double) ? (T)(object)double.NaN : default!;
        T Map(uint key) => key >= 1 && key <= values.Length ? values[key - 1] : missing;

        if (column.Type is not VectorDataViewType)
        {
            var scalar = input.GetGetter<uint>(column);
            uint key = 0;
            return (ValueGetter<T>)((ref T value) =>
            {
                scalar(ref key);
                value = Map(key);
            });
        }
        var getter = input.GetGetter<VBuffer<uint>>(column);
        var keys = default(VBuffer<uint>);
        return (ValueGetter<VBuffer<T>>)((ref VBuffer<T> value) =>
        {
            getter(ref keys);
            var editor = VBufferEditor.Create(ref value, keys.Length);
            int i = 0;
            foreach (uint k in keys.DenseValues())
                editor.Values[i++] = Map(k);
            value = editor.Commit();
        });
    }

    /// <inheritdoc/>
    public override void Save(ModelSaveContext ctx)
    {
        ctx.SetKind(Kind);
        ctx.WriteOptions(new Options { Columns = ColumnPairJson.From(ColumnPairs) });
    }

    internal static KeyToValueMappingTransformer Load(ModelLoadContext ctx) =>
        new(ColumnPairJson.To(ctx.ReadOptions<Options>().Columns, ctx.Where));

    private sealed class Options
    {
        public ColumnPairJson[]? Columns { get; set; }
    }
}
