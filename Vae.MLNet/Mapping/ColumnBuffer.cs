using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Mapping;

/// <summary>The index of the buffered row a batching cursor is serving, shared by its getters.</summary>
internal sealed class BatchSlot
{
    public int Index = -1;
}

/// <summary>
/// Holds one pass-through input column's values for a batch of rows: a batching cursor reads its input ahead of the
/// row it serves, so every active input column is kept per row until the batch is served.
/// </summary>
internal abstract class ColumnBuffer
{
    /// <summary>A buffer of <paramref name="capacity"/> rows filled from <paramref name="source"/>'s getter of <paramref name="column"/>.</summary>
    public static ColumnBuffer Create(DataViewRow source, DataViewSchema.Column column, int capacity)
    {
        var raw = column.Type.RawType;
        var kind = raw.IsGenericType && raw.GetGenericTypeDefinition() == typeof(VBuffer<>)
            ? typeof(VectorBuffer<>).MakeGenericType(raw.GetGenericArguments()[0])
            : typeof(ValueBuffer<>).MakeGenericType(raw);
        return (ColumnBuffer)Activator.CreateInstance(kind, source, column, capacity)!;
    }

    /// <summary>Reads the source row's current value into buffered row <paramref name="row"/>.</summary>
    public abstract void Fill(int row);

    /// <summary>A getter of the buffered row that <paramref name="slot"/> points at (a ValueGetter of the column's raw type).</summary>
    public abstract Delegate MakeGetter(BatchSlot slot);

    private sealed class ValueBuffer<T> : ColumnBuffer
    {
        private readonly ValueGetter<T> _source;
        private readonly T[] _values;

        public ValueBuffer(DataViewRow source, DataViewSchema.Column column, int capacity)
        {
            _source = source.GetGetter<T>(column);
            _values = new T[capacity];
        }

        public override void Fill(int row) => _source(ref _values[row]);

        public override Delegate MakeGetter(BatchSlot slot) => (ValueGetter<T>)((ref T value) => value = _values[slot.Index]);
    }

    // Vectors are copied in and out: the source may reuse its buffers, and the caller may keep what it was given.
    private sealed class VectorBuffer<T> : ColumnBuffer
    {
        private readonly ValueGetter<VBuffer<T>> _source;
        private readonly VBuffer<T>[] _values;
        private VBuffer<T> _scratch;

        public VectorBuffer(DataViewRow source, DataViewSchema.Column column, int capacity)
        {
            _source = source.GetGetter<VBuffer<T>>(column);
            _values = new VBuffer<T>[capacity];
        }

        public override void Fill(int row)
        {
            _source(ref _scratch);
            _scratch.CopyTo(ref _values[row]);
        }

        public override Delegate MakeGetter(BatchSlot slot) => (ValueGetter<VBuffer<T>>)((ref VBuffer<T> value) => _values[slot.Index].CopyTo(ref value));
    }
}
