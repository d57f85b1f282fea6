namespace Vae.MLNet.Data;

/// <summary>
/// Splits one line into fields without copying (except unescaped quoted fields), and resolves sparse lines so that
/// every logical field index can be looked up.
/// </summary>
internal sealed class TextLineSplitter
{
    private static readonly ReadOnlyMemory<char> _zero = "0".AsMemory();
    private readonly char[] _separators;
    private readonly bool _quoting;
    private readonly bool _trim;
    private readonly bool _sparse;
    private readonly List<ReadOnlyMemory<char>> _fields = [];
    private readonly List<(int Index, ReadOnlyMemory<char> Value, int Field)> _pairs = [];
    private int _denseCount;
    private int _sparseLength;
    private string _where = "";

    public TextLineSplitter(TextLoader.Options options)
    {
        _separators = options.Separators is { Length: > 0 } s ? s : ['\t'];
        _quoting = options.AllowQuoting;
        _trim = options.TrimWhitespace;
        _sparse = options.AllowSparse;
    }

    /// <summary>The text of logical field <paramref name="index"/>; false when the line has no such field.</summary>
    public bool TryGetField(int index, out ReadOnlyMemory<char> text)
    {
        if (_sparseLength == 0)
        {
            bool present = index < _fields.Count;
            text = present ? _fields[index] : default;
            return present;
        }
        if (index < _denseCount)
        {
            text = _fields[index];
            return true;
        }
        int k = index - _denseCount;
        if (k >= _sparseLength)
        {
            text = default;
            return false;
        }
        int lo = 0, hi = _pairs.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            int at = _pairs[mid].Index;
            if (at == k)
            {
                text = _pairs[mid].Value;
                return true;
            }
            if (at < k)
                lo = mid + 1;
            else
                hi = mid - 1;
        }
        text = _zero;
        return true;
    }

    /// <summary>Splits <paramref name="line"/>; <paramref name="where"/> (file and line) prefixes error messages.</summary>
    /// <exception cref="FormatException">A quote is not closed, or a sparse pair is malformed.</exception>
    public void Split(string line, string where)
    {
        _where = where;
        _fields.Clear();
        _pairs.Clear();
        _sparseLength = 0;
        int pos = 0;
        while (true)
        {
            int end = ReadField(line, pos, out var field);
            _fields.Add(_trim ? Trim(field) : field);
            if (end >= line.Length)
                break;
            pos = end + 1;
        }
        if (_sparse)
            ResolveSparse();
    }

    // Reads the field starting at `start`; returns the index of the separator that ends it (or line.Length).
    private int ReadField(string line, int start, out ReadOnlyMemory<char> field)
    {
        if (!_quoting || start >= line.Length || line[start] != '"')
        {
            int end = line.IndexOfAny(_separators, start);
            if (end < 0)
                end = line.Length;
            field = line.AsMemory(start, end - start);
            return end;
        }
        var sb = (System.Text.StringBuilder?)null;
        int i = start + 1, from = i;
        while (true)
        {
            int quote = line.IndexOf('"', i);
            if (quote < 0)
                throw new FormatException($"{_where}: a quoted field starting at character {start + 1} is not closed.");
            if (quote + 1 < line.Length && line[quote + 1] == '"')
            {
                (sb ??= new()).Append(line, from, quote + 1 - from);
                i = from = quote + 2;
                continue;
            }
            field = sb == null ? line.AsMemory(from, quote - from) : sb.Append(line, from, quote - from).ToString().AsMemory();
            int end = line.IndexOfAny(_separators, quote + 1);
            if (end < 0)
                end = line.Length;
            if (line.AsSpan(quote + 1, end - quote - 1).Trim().Length > 0)
                throw new FormatException($"{_where}: unexpected text after the closing quote of the field starting at character {start + 1}.");
            return end;
        }
    }

    private static ReadOnlyMemory<char> Trim(ReadOnlyMemory<char> field)
    {
        var span = field.Span;
        int start = 0, end = span.Length;
        while (start < end && char.IsWhiteSpace(span[start]))
            start++;
        while (end > start && char.IsWhiteSpace(span[end - 1]))
            end--;
        return field.Slice(start, end - start);
    }

    private void ResolveSparse()
    {
        int first = _fields.FindIndex(f => f.Span.IndexOf(':') >= 0);
        if (first < 0)
            return;
        if (first == 0 || !int.TryParse(_fields[first - 1].Span.Trim(), out int length) || length < 0)
            throw new FormatException($"{_where}: a sparse line needs the number of sparse fields just before the first index:value pair (field {first - 1}).");
        _denseCount = first - 1;
        _sparseLength = length;
        for (int i = first; i < _fields.Count; i++)
        {
            var span = _fields[i].Span;
            int colon = span.IndexOf(':');
            if (colon <= 0 || !int.TryParse(span[..colon].Trim(), out int index) || index < 0 || index >= length)
                throw new FormatException($"{_where}: sparse field {i} ('{_fields[i]}') is not index:value with 0 <= index < {length}.");
            _pairs.Add((index, _fields[i][(colon + 1)..], i));
        }
        _pairs.Sort((a, b) => a.Index != b.Index ? a.Index.CompareTo(b.Index) : a.Field.CompareTo(b.Field));
        for (int i = 1; i < _pairs.Count; i++)
        {
            if (_pairs[i].Index == _pairs[i - 1].Index)
                throw new FormatException($"{_where}: sparse field {_pairs[i].Field} repeats index {_pairs[i].Index} (first given in field {_pairs[i - 1].Field}).");
        }
        if (length == 0)
            _fields.RemoveRange(_denseCount, _fields.Count - _denseCount);
    }
}
