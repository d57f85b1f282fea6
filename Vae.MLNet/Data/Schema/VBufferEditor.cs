namespace Vae.MLNet.Data;

/// <summary>Creates <see cref="VBufferEditor{T}"/>s, which fill a <see cref="VBuffer{T}"/> while reusing its arrays.</summary>
public static class VBufferEditor
{
    /// <summary>
    /// An editor that turns <paramref name="destination"/> into a vector of <paramref name="newLogicalLength"/> items with
    /// <paramref name="valuesCount"/> explicit values (null: dense). Arrays of <paramref name="destination"/> are reused when
    /// big enough; otherwise new ones are allocated (keeping the old content when <paramref name="keepOldOnResize"/>).
    /// </summary>
    public static VBufferEditor<T> Create<T>(ref VBuffer<T> destination, int newLogicalLength, int? valuesCount = null,
        int? maxValuesCapacity = null, bool keepOldOnResize = false, bool requireIndicesOnDense = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(newLogicalLength);
        int count = valuesCount ?? newLogicalLength;
        if (count < 0 || count > newLogicalLength)
            throw new ArgumentOutOfRangeException(nameof(valuesCount), $"valuesCount must be in 0..{newLogicalLength}, got {count}.");

        var values = destination.ValuesArray;
        bool newValues = false;
        if (values == null || values.Length < count)
        {
            int capacity = Math.Max(count, Math.Min(maxValuesCapacity ?? count, newLogicalLength));
            var grown = new T[capacity];
            if (keepOldOnResize && values != null)
                values.AsSpan().CopyTo(grown);
            values = grown;
            newValues = true;
        }

        var indices = destination.IndicesArray;
        bool newIndices = false;
        bool needIndices = count < newLogicalLength || requireIndicesOnDense;
        if (needIndices && (indices == null || indices.Length < count))
        {
            var grown = new int[Math.Max(count, Math.Min(maxValuesCapacity ?? count, newLogicalLength))];
            if (keepOldOnResize && indices != null)
                indices.AsSpan().CopyTo(grown);
            indices = grown;
            newIndices = true;
        }
        return new VBufferEditor<T>(newLogicalLength, count, values, indices, newValues, newIndices);
    }

    /// <summary>An editor over <paramref name="destination"/> keeping its length and number of explicit values.</summary>
    public static VBufferEditor<T> CreateFromBuffer<T>(ref VBuffer<T> destination) =>
        Create(ref destination, destination.Length, destination.GetValues().Length);
}

/// <summary>
/// Writes the values (and, when sparse, indices) of a vector into reusable arrays; <see cref="Commit"/> returns the
/// resulting <see cref="VBuffer{T}"/>.
/// </summary>
public readonly ref struct VBufferEditor<T>
{
    private readonly int _length;
    private readonly T[] _values;
    private readonly int[]? _indices;

    internal VBufferEditor(int length, int count, T[] values, int[]? indices, bool createdNewValues, bool createdNewIndices)
    {
        _length = length;
        _values = values;
        _indices = indices;
        Values = values.AsSpan(0, count);
        Indices = count < length ? indices.AsSpan(0, count) : default;
        CreatedNewValues = createdNewValues;
        CreatedNewIndices = createdNewIndices;
    }

    /// <summary>Where to write the explicit values.</summary>
    public Span<T> Values { get; }

    /// <summary>Where to write the strictly increasing indices of the explicit values (empty when dense).</summary>
    public Span<int> Indices { get; }

    /// <summary>Whether a new values array had to be allocated.</summary>
    public bool CreatedNewValues { get; }

    /// <summary>Whether a new indices array had to be allocated.</summary>
    public bool CreatedNewIndices { get; }

    /// <summary>The edited vector.</summary>
    public VBuffer<T> Commit() => new(_length, Values.Length, _values, _indices);

    /// <summary>The edited vector keeping only the first <paramref name="maxValuesCount"/> explicit values (making it sparse when fewer than the length).</summary>
    public VBuffer<T> CommitTruncated(int maxValuesCount)
    {
        if (maxValuesCount < 0 || maxValuesCount > Values.Length)
            throw new ArgumentOutOfRangeException(nameof(maxValuesCount), $"maxValuesCount must be in 0..{Values.Length}, got {maxValuesCount}.");
        if (maxValuesCount < _length && Values.Length == _length)
            throw new InvalidOperationException("A dense edit cannot be truncated into a sparse vector: it has no indices.");
        return new VBuffer<T>(_length, maxValuesCount, _values, _indices);
    }
}
