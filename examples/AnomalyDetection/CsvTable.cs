using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Vae.MLNet.Examples;

/// <summary>
/// What a CSV file with a header holds, found by reading it once with ML.NET's text loader: its numeric columns (the
/// features), an optional 0/1 label column, the first text column (shown beside the most anomalous rows) and whether
/// values are missing. <see cref="Load"/> then loads it typed with <c>LoadFromTextFile</c>.
/// </summary>
public sealed class CsvTable
{
    /// <summary>The name the first text column gets in the data view.</summary>
    public const string InfoColumn = "Info";

    // Columns the example's pipeline creates (or loads the label and text columns as).
    private static readonly string[] ReservedNames = ["Label", InfoColumn, "RawFeatures", "Features", "LatentMean", "LatentLogVariance", "Reconstruction", "AnomalyScore"];

    private CsvTable(string path, string[] header, int[] features, int? label, int? info, long rows, long missing)
    {
        Path = path;
        Header = header;
        FeatureFields = features;
        LabelField = label;
        InfoField = info;
        RowCount = rows;
        MissingValueCount = missing;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The header's column names.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>The fields of the numeric feature columns.</summary>
    public IReadOnlyList<int> FeatureFields { get; }

    /// <summary>The field of the label column, if any.</summary>
    public int? LabelField { get; }

    /// <summary>The field of the first text column, if any.</summary>
    public int? InfoField { get; }

    /// <summary>The data rows.</summary>
    public long RowCount { get; }

    /// <summary>The empty feature values (read as NaN).</summary>
    public long MissingValueCount { get; }

    /// <summary>The feature column names, in file order.</summary>
    public IEnumerable<string> FeatureNames => FeatureFields.Select(f => Header[f]);

    /// <summary>The text columns that are neither features nor the label.</summary>
    public IEnumerable<string> TextColumns => Enumerable.Range(0, Header.Count).Where(f => f != LabelField && !FeatureFields.Contains(f)).Select(f => Header[f]);

    /// <summary>The column names in the header line of <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is empty.</exception>
    public static string[] ReadHeader(string path)
    {
        using var lines = new LineReader(path);
        return lines.Next() ?? throw new InvalidDataException($"{path} is empty; expected a header line of column names.");
    }

    /// <summary>
    /// Reads <paramref name="path"/> (comma-separated, a header line, fields may be quoted) with ML.NET's text loader.
    /// A column is a feature when every non-empty value parses as a number; <paramref name="labelColumn"/> must hold only 0 and 1.
    /// </summary>
    /// <exception cref="InvalidDataException">The file has no header or rows, a row has the wrong field count, the label is not 0/1, or no column is numeric.</exception>
    public static CsvTable Read(string path, string? labelColumn)
    {
        using var lines = new LineReader(path);
        var header = lines.Next() ?? throw new InvalidDataException($"{path} is empty; expected a header line of column names.");
        int? label = null;
        if (labelColumn is not null)
        {
            int index = Array.IndexOf(header, labelColumn);
            if (index < 0) throw new InvalidDataException($"{path} has no column '{labelColumn}' (its columns: {string.Join(", ", header)}).");
            label = index;
        }
        var numeric = Enumerable.Repeat(true, header.Length).ToArray();
        long rows = 0;
        var missingPerField = new long[header.Length];
        for (var fields = lines.Next(); fields is not null; fields = lines.Next())
        {
            rows++;
            if (fields.Length != header.Length)
                throw new InvalidDataException($"{path}, data row {rows}: {fields.Length} fields, but the header names {header.Length}.");
            for (int f = 0; f < fields.Length; f++)
            {
                string value = fields[f];
                if (value.Length == 0)
                {
                    missingPerField[f]++;
                    continue;
                }
                bool isNumber = float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float number);
                numeric[f] &= isNumber;
                if (f == label && !(isNumber && number is 0 or 1))
                    throw new InvalidDataException($"{path}, data row {rows}: label column '{header[f]}' holds '{value}'; expected 0 (normal) or 1 (anomaly).");
            }
        }
        if (rows == 0) throw new InvalidDataException($"{path} has a header but no data rows.");
        var features = Enumerable.Range(0, header.Length).Where(f => f != label && numeric[f]).ToArray();
        if (features.Length == 0) throw new InvalidDataException($"{path} has no numeric column besides the label.");
        foreach (int f in features)
            if (ReservedNames.Contains(header[f]) || Array.IndexOf(header, header[f]) != f)
                throw new InvalidDataException($"{path}: feature column '{header[f]}' is named twice or collides with a column the pipeline adds ({string.Join(", ", ReservedNames)}); rename it.");
        long missing = features.Sum(f => missingPerField[f]);
        int? info = Enumerable.Range(0, header.Length).Where(f => f != label && !numeric[f]).Select(f => (int?)f).FirstOrDefault();
        return new CsvTable(path, header, features, label, info, rows, missing);
    }

    /// <summary>
    /// Loads the file: each feature as a Single column under its header name, the label as Single "Label" (so the
    /// evaluator reads 1 as positive), the first text column as text <see cref="InfoColumn"/>.
    /// </summary>
    public IDataView Load(MLContext ml)
    {
        var columns = FeatureFields.Select(f => new TextLoader.Column(Header[f], DataKind.Single, f)).ToList();
        if (LabelField is int label) columns.Add(new TextLoader.Column("Label", DataKind.Single, label));
        if (InfoField is int info) columns.Add(new TextLoader.Column(InfoColumn, DataKind.String, info));
        return ml.Data.LoadFromTextFile(Path, columns.ToArray(), separatorChar: ',', hasHeader: true, allowQuoting: true, trimWhitespace: true);
    }

    /// <summary>
    /// The file's lines as fields, split by ML.NET's text loader (quoting and separators as <see cref="Load"/> reads
    /// them; empty lines skipped): every field of a line into one text vector whose length varies from line to line,
    /// so the header and each row's width can be checked before the typed load.
    /// </summary>
    private sealed class LineReader : IDisposable
    {
        private readonly DataViewRowCursor _cursor;
        private readonly ValueGetter<VBuffer<ReadOnlyMemory<char>>> _getter;
        private VBuffer<ReadOnlyMemory<char>> _fields;

        public LineReader(string path)
        {
            var view = new MLContext().Data.LoadFromTextFile(path, new TextLoader.Options
            {
                Columns = [new TextLoader.Column("Fields", DataKind.String, [new TextLoader.Range(0, null) { AutoEnd = false, VariableEnd = true }])],
                Separators = [','], HasHeader = false, AllowQuoting = true, TrimWhitespace = true,
            });
            _cursor = view.GetRowCursor(view.Schema);
            _getter = _cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(view.Schema[0]);
        }

        /// <summary>The next line's fields, trimmed and unquoted; null at the end of the file.</summary>
        public string[]? Next()
        {
            if (!_cursor.MoveNext()) return null;
            _getter(ref _fields);
            return _fields.DenseValues().Select(v => v.ToString().Trim()).ToArray();
        }

        public void Dispose() => _cursor.Dispose();
    }
}
