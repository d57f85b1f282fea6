namespace Vae.MLNet.Data;

/// <summary>Computes <see cref="MulticlassClassificationMetrics"/> from labels and per-class scores held in memory.</summary>
/// <remarks>
/// As in ML.NET: the predicted class is the highest score (ties go to the lower class index); the score of the true
/// class is read as its probability for the log loss, clipped to [1e-15, 1]; a label at or beyond the class count
/// costs <c>-ln(1e-15)</c> and is left out of the confusion table; negative labels and rows with non-finite scores
/// are skipped.
/// </remarks>
internal static class MulticlassClassificationEvaluation
{
    private const double Epsilon = 1e-15;

    /// <summary>Evaluates <paramref name="scores"/>, one row of <paramref name="classCount"/> values per label.</summary>
    public static MulticlassClassificationMetrics Evaluate(
        ReadOnlySpan<int> labels, ReadOnlySpan<float> scores, int classCount, int topKPredictionCount = 0,
        ReadOnlySpan<float> weights = default, IReadOnlyList<string>? classNames = null)
    {
        if (classCount < 1 || scores.Length != (long)labels.Length * classCount || (!weights.IsEmpty && weights.Length != labels.Length))
            throw new ArgumentException(
                $"Expected {labels.Length} rows x {classCount} classes = {(long)labels.Length * classCount} scores and {labels.Length} weights; " +
                $"got {scores.Length} scores and {weights.Length} weights.");
        if (topKPredictionCount < 0 || topKPredictionCount > classCount)
            throw new ArgumentOutOfRangeException(nameof(topKPredictionCount), topKPredictionCount, $"Expected 0 to {classCount}.");
        classNames ??= Enumerable.Range(0, classCount).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        var confusion = new double[classCount][];
        for (int c = 0; c < classCount; c++)
            confusion[c] = new double[classCount];
        var classWeight = new double[classCount];
        var classLogLoss = new double[classCount];
        var rankWeight = new double[classCount]; // total weight whose true class ranked exactly r-th
        double total = 0, logLoss = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            var row = scores.Slice(i * classCount, classCount);
            int label = labels[i];
            if (label < 0 || !AllFinite(row))
                continue;
            double w = weights.IsEmpty ? 1 : weights[i];
            total += w;
            if (label >= classCount)
            {
                logLoss -= w * Math.Log(Epsilon);
                continue;
            }
            double loss = -Math.Log(Math.Clamp(row[label], Epsilon, 1));
            logLoss += w * loss;
            classLogLoss[label] += w * loss;
            classWeight[label] += w;
            confusion[label][ArgMax(row)] += w;
            rankWeight[Rank(row, label)] += w;
        }

        double labelEntropy = 0, correct = 0, macro = 0, ranked = 0;
        int presentClasses = 0;
        var topK = new double[classCount];
        for (int c = 0; c < classCount; c++)
        {
            double share = classWeight[c] / total;
            labelEntropy -= share > 0 ? share * Math.Log(share) : 0;
            correct += confusion[c][c];
            if (classWeight[c] > 0)
            {
                presentClasses++;
                macro += confusion[c][c] / classWeight[c];
            }
            ranked += rankWeight[c];
            topK[c] = ranked / total;
            classLogLoss[c] = classWeight[c] > 0 ? classLogLoss[c] / classWeight[c] : 0;
        }
        logLoss /= total;
        return new MulticlassClassificationMetrics(
            correct / total,
            presentClasses > 0 ? macro / presentClasses : 0,
            logLoss,
            (labelEntropy - logLoss) / labelEntropy,
            topKPredictionCount,
            topK,
            classLogLoss,
            new ConfusionMatrix(confusion, classNames, isBinary: false));
    }

    private static bool AllFinite(ReadOnlySpan<float> row)
    {
        foreach (float v in row)
        {
            if (!float.IsFinite(v))
                return false;
        }
        return true;
    }

    /// <summary>The first index of the highest score.</summary>
    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int c = 1; c < row.Length; c++)
        {
            if (row[c] > row[best])
                best = c;
        }
        return best;
    }

    /// <summary>The 0-based position of <paramref name="label"/> when classes are sorted by descending score, ties by index.</summary>
    private static int Rank(ReadOnlySpan<float> row, int label)
    {
        int rank = 0;
        for (int c = 0; c < row.Length; c++)
        {
            if (row[c] > row[label] || (row[c] == row[label] && c < label))
                rank++;
        }
        return rank;
    }
}
