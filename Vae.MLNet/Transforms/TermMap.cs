using Vae.MLNet.Data;

namespace Vae.MLNet.Transforms;

/// <summary>
/// The dictionary of a value-to-key mapping: terms in key order (key k stands for term k-1; 0 is missing or unseen).
/// Text terms are stored as their own strings so the dictionary does not keep input lines alive.
/// </summary>
internal abstract class TermMap
{
    public abstract PrimitiveDataViewType ItemType { get; }

    public abstract int Count { get; }

    /// <summary>The terms as a <c>T[]</c> in key order.</summary>
    public abstract Array Terms { get; }

    public static TermMap Create(PrimitiveDataViewType itemType, Array terms) =>
        Generic.Invoke<TermMap>(new Func<PrimitiveDataViewType, Array, TermMap>(Create<int>), itemType.RawType, itemType, terms);

    private static TermMap Create<T>(PrimitiveDataViewType itemType, Array terms) where T : notnull => new TermMap<T>(itemType, (T[])terms);

    /// <summary>A builder collecting the distinct non-missing values of <paramref name="itemType"/>.</summary>
    public static ITermBuilder Builder(PrimitiveDataViewType itemType, int maximumNumberOfKeys) =>
        Generic.Invoke<ITermBuilder>(new Func<PrimitiveDataViewType, int, ITermBuilder>(Builder<int>), itemType.RawType, itemType, maximumNumberOfKeys);

    private static ITermBuilder Builder<T>(PrimitiveDataViewType itemType, int max) where T : notnull => new TermBuilder<T>(itemType, max);

    /// <summary>A getter of keys (uint, or VBuffer&lt;uint&gt; for vectors) over <paramref name="column"/> of <paramref name="input"/>.</summary>
    public abstract Delegate MakeGetter(DataViewRow input, DataViewSchema.Column column);

    /// <summary>Adds the KeyValues annotation: the terms, or their text when <paramref name="asText"/>.</summary>
    public abstract void AddKeyValues(DataViewSchema.Annotations.Builder builder, bool asText);

    internal static bool IsMissing<T>(in T value) => value switch
    {
        float f => float.IsNaN(f),
        double d => double.IsNaN(d),
        _ => false,
    };

    internal static IEqualityComparer<T> Equality<T>() =>
        typeof(T) == typeof(ReadOnlyMemory<char>) ? (IEqualityComparer<T>)(object)TextComparer.Instance : EqualityComparer<T>.Default;

    internal static IComparer<T> Order<T>() =>
        typeof(T) == typeof(ReadOnlyMemory<char>) ? (IComparer<T>)(object)TextComparer.Instance : Comparer<T>.Default;

    internal static string ToText<T>(T value) =>
        value is IFormattable f ? f.ToString(null, System.Globalization.CultureInfo.InvariantCulture) : value?.ToString() ?? "";

    /// <summary>Ordinal comparison of text by content.</summary>
    private sealed class TextComparer : IEqualityComparer<ReadOnlyMemory<char>>, IComparer<ReadOnlyMemory<char>>
    {
        public static TextComparer Instance { get; } = new();

        public bool Equals(ReadOnlyMemory<char> x, ReadOnlyMemory<char> y) => x.Span.SequenceEqual(y.Span);

        public int GetHashCode(ReadOnlyMemory<char> obj) => string.GetHashCode(obj.Span);

        public int Compare(ReadOnlyMemory<char> x, ReadOnlyMemory<char> y) => x.Span.SequenceCompareTo(y.Span);
    }
}

/// <summary>Collects distinct values during a fit.</summary>
internal interface ITermBuilder
{
    /// <summary>An action adding the current row's value(s) of <paramref name="column"/>.</summary>
    Action MakeAdder(DataViewRow row, DataViewSchema.Column column);

    /// <summary>The map of the values seen, in occurrence or value order.</summary>
    TermMap Build(bool sortByValue);
}

internal sealed class TermBuilder<T>(PrimitiveDataViewType itemType, int max) : ITermBuilder
    where T : notnull
{
    private readonly HashSet<T> _seen = new(TermMap.Equality<T>());
    private readonly List<T> _terms = [];

    public Action MakeAdder(DataViewRow row, DataViewSchema.Column column)
    {
        if (column.Type is VectorDataViewType)
        {
            var getter = row.GetGetter<VBuffer<T>>(column);
            var buffer = default(VBuffer<T>);
            return () =>
            {
                getter(ref buffer);
                foreach (var v in buffer.DenseValues())
                    Add(v);
            };
        }
        var scalar = row.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            scalar(ref value);
            Add(value);
        };
    }

    private void Add(T value)
    {
        if (_terms.Count >= max || TermMap.IsMissing(value) || _seen.Contains(value))
            return;
        if (value is ReadOnlyMemory<char> text)
            value = (T)(object)text.ToString().AsMemory();
        _seen.Add(value);
        _terms.Add(value);
    }

    public TermMap Build(bool sortByValue)
    {
        var terms = _terms.ToArray();
        if (sortByValue)
            Array.Sort(terms, TermMap.Order<T>());
        return new TermMap<T>(itemType, terms);
    }
}

internal sealed class TermMap<T> : TermMap
    where T : notnull
{
    private readonly T[] _terms;
    private readonly Dictionary<T, uint> _keys;

    public TermMap(PrimitiveDataViewType itemType, T[] terms)
    {
        ItemType = itemType;
        _terms = terms;
        _keys = new Dictionary<T, uint>(terms.Length, Equality<T>());
        for (int i = 0; i < terms.Length; i++)
        {
            if (!_keys.TryAdd(terms[i], (uint)i + 1))
                throw new InvalidDataException($"The term '{terms[i]}' appears twice in the key dictionary.");
        }
    }

    public override PrimitiveDataViewType ItemType { get; }

    public override int Count => _terms.Length;

    public override Array Terms => _terms;

    private uint Lookup(in T value) => _keys.TryGetValue(value, out uint key) ? key : 0;

    public override Delegate MakeGetter(DataViewRow input, DataViewSchema.Column column)
    {
        if (column.Type is not VectorDataViewType)
        {
            var scalar = input.GetGetter<T>(column);
            T value = default!;
            return (ValueGetter<uint>)((ref uint key) =>
            {
                scalar(ref value);
                key = Lookup(value);
            });
        }
        var getter = input.GetGetter<VBuffer<T>>(column);
        var source = default(VBuffer<T>);
        bool defaultIsMissing = Lookup(default!) == 0;
        return (ValueGetter<VBuffer<uint>>)((ref VBuffer<uint> keys) =>
        {
            getter(ref source);
            var values = source.GetValues();
            if (!source.IsDense && defaultIsMissing)
            {
                var sparse = VBufferEditor.Create(ref keys, source.Length, values.Length);
                source.GetIndices().CopyTo(sparse.Indices);
                for (int k = 0; k < values.Length; k++)
                    sparse.Values[k] = Lookup(values[k]);
                keys = sparse.Commit();
                return;
            }
            var dense = VBufferEditor.Create(ref keys, source.Length);
            int i = 0;
            foreach (var v in source.DenseValues())
                dense.Values[i++] = Lookup(v);
            keys = dense.Commit();
        });
    }

    public override void AddKeyValues(DataViewSchema.Annotations.Builder builder, bool asText)
    {
        var terms = _terms;
        if (asText)
        {
            var text = terms.Select(t => t is ReadOnlyMemory<char> m ? m : ToText(t).AsMemory()).ToArray();
            builder.AddKeyValues(text.Length, TextDataViewType.Instance, (ref VBuffer<ReadOnlyMemory<char>> v) => VBuffer<ReadOnlyMemory<char>>.Copy(text, 0, ref v, text.Length));
            return;
        }
        builder.AddKeyValues(terms.Length, ItemType, (ref VBuffer<T> v) => VBuffer<T>.Copy(terms, 0, ref v, terms.Length));
    }
}
