using System.Globalization;
using System.Text;

namespace Vae.MLNet.Data;

/// <summary>
/// Counts of examples by true class (rows) and predicted class (columns), with per-class precision and recall,
/// as ML.NET reports them. Binary tables order the classes positive, negative.
/// </summary>
public sealed class ConfusionMatrix
{
    private const int LabelColumnWidth = 9;
    private readonly double[][] _counts;
    private readonly string[] _classNames;
    private readonly bool _isBinary;

    internal ConfusionMatrix(double[][] counts, IReadOnlyList<string> classNames, bool isBinary)
    {
        if (classNames.Count != counts.Length || counts.Any(row => row.Length != counts.Length))
            throw new ArgumentException($"Expected a square table with one name per class; got {counts.Length} rows and {classNames.Count} names.");
        _counts = counts;
        _classNames = classNames.ToArray();
        _isBinary = isBinary;
        int k = counts.Length;
        var precision = new double[k];
        var recall = new double[k];
        for (int c = 0; c < k; c++)
        {
            double predicted = 0, actual = 0;
            for (int other = 0; other < k; other++)
            {
                predicted += counts[other][c];
                actual += counts[c][other];
            }
            precision[c] = predicted > 0 ? counts[c][c] / predicted : 0;
            recall[c] = actual > 0 ? counts[c][c] / actual : 0;
        }
        PerClassPrecision = precision;
        PerClassRecall = recall;
        Counts = counts.Select(row => (IReadOnlyList<double>)Array.AsReadOnly(row)).ToArray();
    }

    /// <summary>Precision of each class: correct predictions of it over all predictions of it (0 when never predicted).</summary>
    public IReadOnlyList<double> PerClassPrecision { get; }

    /// <summary>Recall of each class: correct predictions of it over its examples (0 when it has none).</summary>
    public IReadOnlyList<double> PerClassRecall { get; }

    /// <summary>The (weighted) counts: <c>Counts[actual][predicted]</c>.</summary>
    public IReadOnlyList<IReadOnlyList<double>> Counts { get; }

    /// <summary>Number of classes.</summary>
    public int NumberOfClasses => _counts.Length;

    /// <summary>The count of examples of class <paramref name="actualClassIndicatorIndex"/> predicted as <paramref name="predictedClassIndicatorIndex"/>.</summary>
    public double GetCountForClassPair(int predictedClassIndicatorIndex, int actualClassIndicatorIndex)
    {
        if ((uint)predictedClassIndicatorIndex >= (uint)NumberOfClasses || (uint)actualClassIndicatorIndex >= (uint)NumberOfClasses)
            throw new ArgumentOutOfRangeException(nameof(predictedClassIndicatorIndex),
                $"Class indices must be in [0, {NumberOfClasses}); got predicted {predictedClassIndicatorIndex}, actual {actualClassIndicatorIndex}.");
        return _counts[actualClassIndicatorIndex][predictedClassIndicatorIndex];
    }

    /// <summary>The table as aligned text with a recall column and a precision row, laid out like ML.NET's.</summary>
    public string GetFormattedConfusionTable()
    {
        var culture = CultureInfo.InvariantCulture;
        bool integral = _counts.All(row => row.All(v => v == Math.Floor(v)));
        string FormatCount(double v) => v.ToString(integral ? "#,0" : "#,0.00", culture);
        int labelWidth = Math.Max(LabelColumnWidth, _classNames.Max(n => n.Length));
        int cellWidth = Math.Max(6, Math.Max(_classNames.Max(n => n.Length), _counts.Max(row => row.Max(v => FormatCount(v).Length))) + 1);
        string margin = new(' ', labelWidth);
        string rule = new('=', NumberOfClasses * (cellWidth + 2));

        var text = new StringBuilder();
        if (_isBinary)
        {
            double positives = _counts[0][0] + _counts[0][1], negatives = _counts[1][0] + _counts[1][1];
            text.Append(culture, $"TEST POSITIVE RATIO:\t{positives / (positives + negatives):0.0000} ")
                .AppendLine(culture, $"({positives:0.0}/({positives:0.0}+{negatives:0.0}))");
        }
        text.AppendLine("Confusion table");
        text.AppendLine($"{margin} ||{rule}");
        text.Append("PREDICTED".PadRight(labelWidth)).Append(" ||");
        foreach (var name in _classNames)
            text.Append(name.PadLeft(cellWidth)).Append(" |");
        text.AppendLine(" Recall");
        text.AppendLine($"{"TRUTH".PadRight(labelWidth)} ||{rule}");
        for (int r = 0; r < NumberOfClasses; r++)
        {
            text.Append(_classNames[r].PadLeft(labelWidth)).Append(" ||");
            foreach (double v in _counts[r])
                text.Append(FormatCount(v).PadLeft(cellWidth)).Append(" |");
            text.AppendLine(culture, $" {PerClassRecall[r]:0.0000}");
        }
        text.AppendLine($"{margin} ||{rule}");
        text.Append("Precision".PadRight(labelWidth)).Append(" ||");
        foreach (double p in PerClassPrecision)
            text.Append(p.ToString("0.0000", culture).PadLeft(cellWidth)).Append(" |");
        text.AppendLine();
        return text.ToString();
    }
}
