using System.Text;

namespace Vae.MLNet.Data;

/// <summary>
/// A vector value of <see cref="Length"/> items, stored dense (every item) or sparse (the explicit items and their
/// strictly increasing indices; the rest are <c>default(T)</c>). The arrays may be longer than needed so that a
/// buffer can be refilled without allocating; write into one through <see cref="VBufferEditor"/>.
/// </summary>
public readonly struct VBuffer<T>
{
    private readonly int _count;
    private readonly T[]? _values;
    private readonly int[]? _indices;

    /// <summary>The logical number of items.</summary>
    public readonly int Length;

    /// <summary>A dense vector of the first <paramref name="length"/> items of <paramref name="values"/>.</summary>
    /// <param name="length">The number of items.</param>
    /// <param name="values">At least <paramref name="length"/> values.</param>
    /// <param name="indices">An optional array kept only so that a later sparse edit can reuse it.</param>
    public VBuffer(int length, T[] values, int[]? indices = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length < length)
            throw new ArgumentException($"A dense VBuffer of length {length} needs at least {length} values, got {values.Length}.", nameof(values));
        Length = length;
        _count = length;
        _values = values;
        _indices = indices;
    }

    /// <summary>A sparse vector of <paramref name="length"/> items with <paramref name="count"/> explicit ones.</summary>
    /// <param name="length">The number of items.</param>
    /// <param name="count">The number of explicit items; equal to <paramref name="length"/> makes the vector dense.</param>
    /// <param name="values">The explicit values (at least <paramref name="count"/>).</param>
    /// <param name="indices">The strictly increasing indices of the explicit values (at least <paramref name="count"/> unless dense).</param>
    public VBuffer(int length, int count, T[] values, int[]? indices)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (count < 0 || count > length)
            throw new ArgumentOutOfRangeException(nameof(count), $"count must be in 0..{length}, got {count}.");
        if (count > 0 && (values == null || values.Length < count))
            throw new ArgumentException($"A VBuffer with {count} explicit items needs at least {count} values.", nameof(values));
        if (count < length && count > 0 && (indices == null || indices.Length < count))
            throw new ArgumentException($"A sparse VBuffer with {count} explicit items needs at least {count} indices.", nameof(indices));
        Length = length;
        _count = count;
        _values = values;
        _indices = indices;
    }

    /// <summary>Whether every item is stored explicitly.</summary>
    public bool IsDense => _count == Length;

    /// <summary>The explicit values: all items when dense, otherwise the items at <see cref="GetIndices"/>.</summary>
    public ReadOnlySpan<T> GetValues() => _values.AsSpan(0, _count);

    /// <summary>The indices of the explicit values; empty when dense.</summary>
    public ReadOnlySpan<int> GetIndices() => IsDense ? default : _indices.AsSpan(0, _count);

    internal T[]? ValuesArray => _values;

    internal int[]? IndicesArray => _indices;

    /// <summary>Every item in order, with <c>default(T)</c> for the implicit ones.</summary>
    public IEnumerable<T> DenseValues()
    {
        if (IsDense)
        {
            for (int i = 0; i < Length; i++)
                yield return _values![i];
            yield break;
        }
        int next = 0;
        for (int i = 0; i < Length; i++)
            yield return next < _count && _indices![next] == i ? _values![next++] : default!;
    }

    /// <summary>The items as (index, value) pairs: the explicit ones, or every item when <paramref name="all"/>.</summary>
    public IEnumerable<KeyValuePair<int, T>> Items(bool all = false)
    {
        if (all || IsDense)
        {
            int i = 0;
            foreach (var v in DenseValues())
                yield return new KeyValuePair<int, T>(i++, v);
            yield break;
        }
        for (int k = 0; k < _count; k++)
            yield return new KeyValuePair<int, T>(_indices![k], _values![k]);
    }

    /// <summary>The item at <paramref name="index"/>, or <c>default(T)</c> when it is implicit.</summary>
    public T GetItemOrDefault(int index)
    {
        if ((uint)index >= (uint)Length)
            throw new ArgumentOutOfRangeException(nameof(index), $"Index {index} is outside a vector of length {Length}.");
        if (IsDense)
            return _values![index];
        int k = _indices.AsSpan(0, _count).BinarySearch(index);
        return k >= 0 ? _values![k] : default!;
    }

    /// <summary>Copies this vector into <paramref name="destination"/>, reusing its arrays when they are big enough.</summary>
    public void CopyTo(ref VBuffer<T> destination)
    {
        var editor = VBufferEditor.Create(ref destination, Length, _count);
        GetValues().CopyTo(editor.Values);
        if (!IsDense)
            GetIndices().CopyTo(editor.Indices);
        destination = editor.Commit();
    }

    /// <summary>Copies items <c>[sourceIndex, sourceIndex + length)</c> into <paramref name="destination"/> as a vector of <paramref name="length"/> items.</summary>
    public void CopyTo(ref VBuffer<T> destination, int sourceIndex, int length)
    {
        if (sourceIndex < 0 || length < 0 || sourceIndex > Length - length)
            throw new ArgumentOutOfRangeException(nameof(sourceIndex), $"Slice [{sourceIndex}, {sourceIndex}+{length}) is outside a vector of length {Length}.");
        if (IsDense)
        {
            var dense = VBufferEditor.Create(ref destination, length);
            _values.AsSpan(sourceIndex, length).CopyTo(dense.Values);
            destination = dense.Commit();
            return;
        }
        var indices = GetIndices();
        int lo = LowerBound(indices, sourceIndex), hi = LowerBound(indices, sourceIndex + length);
        var editor = VBufferEditor.Create(ref destination, length, hi - lo);
        for (int k = lo; k < hi; k++)
        {
            editor.Values[k - lo] = _values![k];
            if (hi - lo < length)
                editor.Indices[k - lo] = indices[k] - sourceIndex;
        }
        destination = editor.Commit();
    }

    /// <summary>Writes all <see cref="Length"/> items into <paramref name="destination"/>, implicit ones as <paramref name="defaultValue"/>.</summary>
    public void CopyTo(Span<T> destination, int destinationIndex = 0, T defaultValue = default!)
    {
        var dst = destination.Slice(destinationIndex, Length);
        if (IsDense)
        {
            GetValues().CopyTo(dst);
            return;
        }
        dst.Fill(defaultValue);
        var values = GetValues();
        var indices = GetIndices();
        for (int k = 0; k < values.Length; k++)
            dst[indices[k]] = values[k];
    }

    /// <summary>Copies this vector into <paramref name="destination"/> in dense form.</summary>
    public void CopyToDense(ref VBuffer<T> destination)
    {
        var editor = VBufferEditor.Create(ref destination, Length);
        CopyTo(editor.Values);
        destination = editor.Commit();
    }

    /// <summary>Makes <paramref name="destination"/> a dense vector of <paramref name="length"/> items copied from <paramref name="source"/>.</summary>
    public static void Copy(T[] source, int sourceIndex, ref VBuffer<T> destination, int length)
    {
        ArgumentNullException.ThrowIfNull(source);
        var editor = VBufferEditor.Create(ref destination, length);
        source.AsSpan(sourceIndex, length).CopyTo(editor.Values);
        destination = editor.Commit();
    }

    private static int LowerBound(ReadOnlySpan<int> sorted, int value)
    {
        int k = sorted.BinarySearch(value);
        return k >= 0 ? k : ~k;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var sb = new StringBuilder("[");
        int shown = 0;
        foreach (var item in Items())
        {
            if (shown++ == 20)
            {
                sb.Append(", ...");
                break;
            }
            if (shown > 1)
                sb.Append(", ");
            if (!IsDense)
                sb.Append(item.Key).Append(':');
            sb.Append(item.Value);
        }
        return sb.Append(']').Append(IsDense ? "" : $" (sparse, length {Length})").ToString();
    }
}
