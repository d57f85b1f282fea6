namespace Vae.MLNet.Data;

/// <summary>The slot a buffered row is served from; shared by the getters of one cursor.</summary>
internal sealed class SlotIndex
{
    public int Value;
}

/// <summary>
/// Values of one column for several rows: filled from a row's getter slot by slot, served back through getters
/// that copy the value at the current <see cref="SlotIndex"/>. Vectors are copied, so slots can be refilled.
/// </summary>
internal abstract class ColumnBuffer
{
    public static ColumnBuffer Create(DataViewType type, int capacity) =>
        Generic.Invoke<ColumnBuffer>(new Func<int, ColumnBuffer>(Create<int>), type.RawType, capacity);

    private static ColumnBuffer Create<T>(int capacity) => new ColumnBuffer<T>(capacity);

    /// <summary>The number of slots.</summary>
    public abstract int Capacity { get; }

    /// <summary>The storage (a <c>T[]</c>).</summary>
    public abstract Array Storage { get; }

    /// <summary>Reads future <see cref="Fill"/>s from <paramref name="column"/> of <paramref name="row"/>.</summary>
    public abstract void Bind(DataViewRow row, DataViewSchema.Column column);

    /// <summary>Stores the bound row's current value in <paramref name="slot"/>.</summary>
    public abstract void Fill(int slot);

    /// <summary>Moves the value of slot <paramref name="from"/> into slot <paramref name="to"/> (swapping, so no arrays are shared).</summary>
    public abstract void Swap(int from, int to);

    /// <summary>Grows to at least <paramref name="capacity"/> slots, keeping the values.</summary>
    public abstract void Grow(int capacity);

    /// <summary>A getter (<c>ValueGetter&lt;T&gt;</c>) serving the value at <paramref name="slot"/>.</summary>
    public abstract Delegate MakeGetter(SlotIndex slot);
}

internal sealed class ColumnBuffer<T> : ColumnBuffer
{
    private ValueGetter<T>? _getter;

    public ColumnBuffer(int capacity) => Data = new T[capacity];

    public T[] Data;

    public override int Capacity => Data.Length;

    public override Array Storage => Data;

    public override void Bind(DataViewRow row, DataViewSchema.Column column) => _getter = row.GetGetter<T>(column);

    public override void Fill(int slot) => _getter!(ref Data[slot]);

    public override void Swap(int from, int to) => (Data[from], Data[to]) = (Data[to], Data[from]);

    public override void Grow(int capacity)
    {
        if (capacity > Data.Length)
            Array.Resize(ref Data, capacity);
    }

    public override Delegate MakeGetter(SlotIndex slot) =>
        (ValueGetter<T>)((ref T value) => ValueCopier<T>.Copy(in Data[slot.Value], ref value));
}
