using Vae.MLNet.Data;

namespace Vae.MLNet.Transforms;

/// <summary>
/// Concatenates scalar and vector columns of one item type into a vector (<c>Concatenate</c>). Slot names are carried
/// over: a scalar input's slot is named after its column, a named slot of a vector input becomes <c>Column.Slot</c>.
/// </summary>
public sealed class ColumnConcatenatingEstimator : TrivialEstimator<ColumnConcatenatingTransformer>
{
    internal ColumnConcatenatingEstimator(string outputColumnName, string[] inputColumnNames)
        : base(new ColumnConcatenatingTransformer(outputColumnName, inputColumnNames))
    {
    }

    /// <inheritdoc/>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var inputs = Transformer.InputColumnNames.Select(n => SchemaErrors.Find(inputSchema, n)).ToArray();
        var first = inputs[0];
        foreach (var c in inputs)
        {
            if (!c.ItemType.Equals(first.ItemType) || c.IsKey != first.IsKey)
                throw SchemaErrors.Mismatch(c.Name, $"item type {first.GetTypeString()} like column '{first.Name}'", c.GetTypeString());
        }
        var kind = inputs.Any(c => c.Kind == SchemaShape.VectorKind.VariableVector) ? SchemaShape.VectorKind.VariableVector : SchemaShape.VectorKind.Vector;
        bool slotNames = kind == SchemaShape.VectorKind.Vector
            && inputs.Any(c => c.Kind == SchemaShape.VectorKind.Scalar || c.Annotations.TryFindColumn(AnnotationUtils.Kinds.SlotNames, out _));
        var annotations = slotNames ? ShapeHelper.Annotations(ShapeHelper.SlotNamesShape()) : null;
        return ShapeHelper.With(inputSchema, [new SchemaShape.Column(Transformer.OutputColumnName, kind, first.ItemType, first.IsKey, annotations)]);
    }
}

/// <summary>The fitted <see cref="ColumnConcatenatingEstimator"/>.</summary>
public sealed class ColumnConcatenatingTransformer : RowToRowTransformerBase
{
    internal const string Kind = "ColumnConcatenatingTransformer";

    internal ColumnConcatenatingTransformer(string outputColumnName, string[] inputColumnNames)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentNullException.ThrowIfNull(inputColumnNames);
        if (inputColumnNames.Length == 0 || inputColumnNames.Any(string.IsNullOrEmpty))
            throw new ArgumentException("Concatenate needs at least one input column, and no empty names.", nameof(inputColumnNames));
        OutputColumnName = outputColumnName;
        InputColumnNames = inputColumnNames.ToArray();
    }

    /// <summary>The output column.</summary>
    public string OutputColumnName { get; }

    /// <summary>The input columns, in concatenation order.</summary>
    public IReadOnlyList<string> InputColumnNames { get; }

    /// <inheritdoc/>
    protected override IRowToRowMapper MakeRowMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    /// <inheritdoc/>
    public override void Save(ModelSaveContext ctx)
    {
        ctx.SetKind(Kind);
        ctx.WriteOptions(new Options { Output = OutputColumnName, Inputs = InputColumnNames.ToArray() });
    }

    internal static ColumnConcatenatingTransformer Load(ModelLoadContext ctx)
    {
        var o = ctx.ReadOptions<Options>();
        if (string.IsNullOrEmpty(o.Output) || o.Inputs is not { Length: > 0 })
            throw new InvalidDataException($"{ctx.Where}: concatenation options need an output and inputs.");
        return new ColumnConcatenatingTransformer(o.Output, o.Inputs);
    }

    private sealed class Options
    {
        public string Output { get; set; } = "";

        public string[]? Inputs { get; set; }
    }

    private sealed class Mapper : RowMapper
    {
        private readonly ColumnConcatenatingTransformer _owner;
        private readonly DataViewSchema.Column[] _inputs;
        private readonly PrimitiveDataViewType _itemType;

        public Mapper(ColumnConcatenatingTransformer owner, DataViewSchema inputSchema) : base(inputSchema)
        {
            _owner = owner;
            _inputs = owner.InputColumnNames.Select(n => SchemaErrors.Find(inputSchema, n)).ToArray();
            _itemType = ItemType(_inputs[0]);
            foreach (var c in _inputs)
            {
                if (!ItemType(c).Equals(_itemType))
                    throw SchemaErrors.Mismatch(c.Name, $"item type {_itemType} like column '{_inputs[0].Name}'", c.Type);
            }
        }

        private static PrimitiveDataViewType ItemType(DataViewSchema.Column c) => c.Type switch
        {
            VectorDataViewType v => v.ItemType,
            PrimitiveDataViewType p => p,
            _ => throw SchemaErrors.Mismatch(c.Name, "a primitive or vector column", c.Type),
        };

        private static int SizeOf(DataViewSchema.Column c) => c.Type is VectorDataViewType v ? v.Size : 1;

        protected override DataViewSchema.DetachedColumn[] GetOutputColumns()
        {
            bool known = _inputs.All(c => SizeOf(c) > 0);
            int size = known ? _inputs.Sum(SizeOf) : 0;
            var annotations = new DataViewSchema.Annotations.Builder();
            if (known && _inputs.Any(c => c.Type is not VectorDataViewType || c.HasSlotNames(SizeOf(c))))
                annotations.AddSlotNames(size, GetSlotNames);
            return [new(_owner.OutputColumnName, new VectorDataViewType(_itemType, size), annotations.ToAnnotations())];
        }

        private void GetSlotNames(ref VBuffer<ReadOnlyMemory<char>> names)
        {
            var editor = VBufferEditor.Create(ref names, _inputs.Sum(SizeOf));
            int k = 0;
            var inner = default(VBuffer<ReadOnlyMemory<char>>);
            foreach (var c in _inputs)
            {
                if (c.Type is not VectorDataViewType v)
                {
                    editor.Values[k++] = c.Name.AsMemory();
                    continue;
                }
                bool named = c.HasSlotNames(v.Size);
                if (named)
                    c.GetSlotNames(ref inner);
                for (int i = 0; i < v.Size; i++)
                {
                    var slot = named ? inner.GetItemOrDefault(i) : default;
                    editor.Values[k++] = slot.IsEmpty ? ReadOnlyMemory<char>.Empty : $"{c.Name}.{slot}".AsMemory();
                }
            }
            names = editor.Commit();
        }

        protected override IEnumerable<DataViewSchema.Column> GetInputDependencies(int outputColumnIndex) => _inputs;

        protected override Delegate MakeGetter(DataViewRow input, int outputColumnIndex) =>
            Generic.Invoke<Delegate>(new Func<DataViewRow, Delegate>(MakeGetter<int>), _itemType.RawType, input);

        private Delegate MakeGetter<T>(DataViewRow input)
        {
            int n = _inputs.Length;
            var scalars = new ValueGetter<T>?[n];
            var vectors = new ValueGetter<VBuffer<T>>?[n];
            var buffers = new VBuffer<T>[n];
            for (int i = 0; i < n; i++)
            {
                var column = input.Schema[_inputs[i].Index];
                if (column.Type is VectorDataViewType)
                    vectors[i] = input.GetGetter<VBuffer<T>>(column);
                else
                    scalars[i] = input.GetGetter<T>(column);
            }
            return (ValueGetter<VBuffer<T>>)((ref VBuffer<T> dst) =>
            {
                int length = 0, count = 0;
                for (int i = 0; i < n; i++)
                {
                    if (scalars[i] is { } scalar)
                    {
                        var one = VBufferEditor.Create(ref buffers[i], 1);
                        scalar(ref one.Values[0]);
                        buffers[i] = one.Commit();
                    }
                    else
                    {
                        vectors[i]!(ref buffers[i]);
                    }
                    length += buffers[i].Length;
                    count += buffers[i].GetValues().Length;
                }
                var editor = VBufferEditor.Create(ref dst, length, count);
                int offset = 0, k = 0;
                for (int i = 0; i < n; i++)
                {
                    var values = buffers[i].GetValues();
                    values.CopyTo(editor.Values.Slice(k));
                    if (count < length)
                    {
                        var indices = buffers[i].GetIndices();
                        for (int j = 0; j < values.Length; j++)
                            editor.Indices[k + j] = offset + (buffers[i].IsDense ? j : indices[j]);
                    }
                    k += values.Length;
                    offset += buffers[i].Length;
                }
                dst = editor.Commit();
            });
        }
    }
}
