using Vae.MLNet.Data;

namespace Vae.MLNet.Trainers;

/// <summary>Reads the columns of scored data that the evaluators need into arrays, checking their types first.</summary>
internal static class EvaluationData
{
    /// <summary>Labels (missing ones skipped), scores and, when present, predicted labels and probabilities of binary data.</summary>
    public sealed record Binary(bool[] Labels, float[] Scores, bool[]? PredictedLabels, float[]? Probabilities);

    /// <summary>Class indices (-1 = missing), one score row per label, the class count and the class names, if known.</summary>
    public sealed record Multiclass(int[] Labels, float[] Scores, int ClassCount, string[]? ClassNames);

    /// <summary>
    /// Reads binary data. Labels may be Boolean, or Single/Double (positive when greater than 0, NaN = missing).
    /// The predicted label column is optional (<paramref name="predictedLabel"/> null or absent); the probability
    /// column is read when <paramref name="probability"/> is given.
    /// </summary>
    public static Binary ReadBinary(IDataView data, string label, string score, string? probability, string? predictedLabel)
    {
        ArgumentNullException.ThrowIfNull(data);
        var labelColumn = Find(data.Schema, label, "label", "Boolean, Single or Double",
            t => t.Equals(BooleanDataViewType.Instance) || t.Equals(NumberDataViewType.Single) || t.Equals(NumberDataViewType.Double));
        var scoreColumn = Find(data.Schema, score, "score", "Single", IsSingle);
        var probabilityColumn = probability is null ? (DataViewSchema.Column?)null : Find(data.Schema, probability, "probability", "Single", IsSingle);
        var predictedColumn = predictedLabel is null ? null : data.Schema.GetColumnOrNull(predictedLabel);
        if (predictedColumn is { } p && !p.Type.Equals(BooleanDataViewType.Instance))
            throw Mismatch(p, "predicted label", "Boolean");

        var labels = new List<bool>();
        var scores = new List<float>();
        var predicted = predictedColumn is null ? null : new List<bool>();
        var probabilities = probabilityColumn is null ? null : new List<float>();
        DataViewSchema.Column?[] optional = [probabilityColumn, predictedColumn];
        using var cursor = data.GetRowCursor(optional.OfType<DataViewSchema.Column>().Append(labelColumn).Append(scoreColumn));
        var labelGetter = BinaryLabel(cursor, labelColumn);
        var scoreGetter = cursor.GetGetter<float>(scoreColumn);
        var predictedGetter = predictedColumn is { } pc ? cursor.GetGetter<bool>(pc) : null;
        var probabilityGetter = probabilityColumn is { } prc ? cursor.GetGetter<float>(prc) : null;
        float value = 0;
        bool flag = false;
        while (cursor.MoveNext())
        {
            if (labelGetter() is not bool y)
                continue;
            labels.Add(y);
            scoreGetter(ref value);
            scores.Add(value);
            if (predictedGetter is not null)
            {
                predictedGetter(ref flag);
                predicted!.Add(flag);
            }
            if (probabilityGetter is not null)
            {
                probabilityGetter(ref value);
                probabilities!.Add(value);
            }
        }
        return new Binary(labels.ToArray(), scores.ToArray(), predicted?.ToArray(), probabilities?.ToArray());
    }

    /// <summary>
    /// Reads multiclass data: labels are keys (key k = class k - 1, 0 = missing) or Single class indices (NaN = missing);
    /// scores a known-size vector of Single. Class names come from the score's slot names, else the label's text key values.
    /// </summary>
    public static Multiclass ReadMulticlass(IDataView data, string label, string score)
    {
        ArgumentNullException.ThrowIfNull(data);
        var labelColumn = Find(data.Schema, label, "label", "a key of UInt32 or a Single",
            t => t is KeyDataViewType { RawType: var raw } && raw == typeof(uint) || t.Equals(NumberDataViewType.Single));
        var scoreColumn = Find(data.Schema, score, "score", "a known-size vector of Single",
            t => t is VectorDataViewType { IsKnownSize: true } v && v.ItemType.Equals(NumberDataViewType.Single));
        int classCount = ((VectorDataViewType)scoreColumn.Type).Size;

        var labels = new List<int>();
        var scores = new List<float>();
        using var cursor = data.GetRowCursor([labelColumn, scoreColumn]);
        var labelGetter = ClassIndex(cursor, labelColumn);
        var scoreGetter = cursor.GetGetter<VBuffer<float>>(scoreColumn);
        var buffer = default(VBuffer<float>);
        var dense = new float[classCount];
        while (cursor.MoveNext())
        {
            labels.Add(labelGetter());
            scoreGetter(ref buffer);
            if (buffer.Length != classCount)
                throw new InvalidOperationException($"Score column '{score}' has a vector of {buffer.Length} values at row {cursor.Position}; its type says {classCount}.");
            buffer.CopyTo(dense);
            scores.AddRange(dense);
        }
        return new Multiclass(labels.ToArray(), scores.ToArray(), classCount, TextValues(scoreColumn, AnnotationUtils.Kinds.SlotNames, classCount)
            ?? TextValues(labelColumn, AnnotationUtils.Kinds.KeyValues, classCount));
    }

    /// <summary>Reads the Single label and score columns of regression data.</summary>
    public static (float[] Labels, float[] Scores) ReadRegression(IDataView data, string label, string score)
    {
        ArgumentNullException.ThrowIfNull(data);
        var labelColumn = Find(data.Schema, label, "label", "Single", IsSingle);
        var scoreColumn = Find(data.Schema, score, "score", "Single", IsSingle);
        var labels = new List<float>();
        var scores = new List<float>();
        using var cursor = data.GetRowCursor([labelColumn, scoreColumn]);
        var labelGetter = cursor.GetGetter<float>(labelColumn);
        var scoreGetter = cursor.GetGetter<float>(scoreColumn);
        float value = 0;
        while (cursor.MoveNext())
        {
            labelGetter(ref value);
            labels.Add(value);
            scoreGetter(ref value);
            scores.Add(value);
        }
        return (labels.ToArray(), scores.ToArray());
    }

    private static bool IsSingle(DataViewType type) => type.Equals(NumberDataViewType.Single);

    private static DataViewSchema.Column Find(DataViewSchema schema, string name, string role, string expected, Func<DataViewType, bool> accepts)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var column = schema.GetColumnOrNull(name) ?? throw SchemaErrors.ColumnNotFound(name, role, "data");
        return accepts(column.Type) ? column : throw Mismatch(column, role, expected);
    }

    private static ArgumentOutOfRangeException Mismatch(DataViewSchema.Column column, string role, string expected) =>
        SchemaErrors.Mismatch(column.Name, expected, column.Type, role, "data");

    private static Func<bool?> BinaryLabel(DataViewRow row, DataViewSchema.Column column)
    {
        if (column.Type.Equals(BooleanDataViewType.Instance))
        {
            var getter = row.GetGetter<bool>(column);
            bool value = false;
            return () =>
            {
                getter(ref value);
                return value;
            };
        }
        if (column.Type.Equals(NumberDataViewType.Double))
        {
            var getter = row.GetGetter<double>(column);
            double value = 0;
            return () =>
            {
                getter(ref value);
                return double.IsNaN(value) ? null : value > 0;
            };
        }
        var single = row.GetGetter<float>(column);
        float number = 0;
        return () =>
        {
            single(ref number);
            return float.IsNaN(number) ? null : number > 0;
        };
    }

    private static Func<int> ClassIndex(DataViewRow row, DataViewSchema.Column column)
    {
        if (column.Type is KeyDataViewType)
        {
            var getter = row.GetGetter<uint>(column);
            uint key = 0;
            return () =>
            {
                getter(ref key);
                return key == 0 ? -1 : (int)Math.Min(key - 1, int.MaxValue);
            };
        }
        var single = row.GetGetter<float>(column);
        float value = 0;
        return () =>
        {
            single(ref value);
            return float.IsNaN(value) || value < 0 ? -1 : (int)Math.Min(value, int.MaxValue);
        };
    }

    /// <summary>The column's text annotation <paramref name="kind"/> when it has <paramref name="count"/> values, else null.</summary>
    private static string[]? TextValues(DataViewSchema.Column column, string kind, int count)
    {
        if (column.Annotations.Schema.GetColumnOrNull(kind)?.Type is not VectorDataViewType { ItemType: TextDataViewType, Size: var size } || size != count)
            return null;
        var values = default(VBuffer<ReadOnlyMemory<char>>);
        column.Annotations.GetValue(kind, ref values);
        return values.DenseValues().Select(v => v.ToString()).ToArray();
    }
}
