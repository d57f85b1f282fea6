using Spectre.Console;
using Microsoft.ML;
using Microsoft.ML.Transforms;

namespace Vae.MLNet.Examples;

/// <summary>What the anomaly-detection example runs; the command line fills it in.</summary>
public sealed record AnomalySettings
{
    /// <summary>A CSV file with a header: numeric feature columns and an optional 0/1 label. Null generates server metrics.</summary>
    public string? CsvPath { get; init; }

    /// <summary>The 0/1 label column (1 = anomaly). Null: "Label" when the file has it, else no labels.</summary>
    public string? LabelColumn { get; init; }

    /// <summary>The quantile of the training rows' scores used as the threshold: 0.95 flags about 5% of normal rows.</summary>
    public double ThresholdQuantile { get; init; } = 0.95;

    /// <summary>The share of rows held out for testing.</summary>
    public double TestFraction { get; init; } = 0.3;

    /// <summary>Training epochs of the VAE.</summary>
    public int Epochs { get; init; } = 40;

    /// <summary>The size of the latent space; null picks a third of the feature count, between 2 and 16.</summary>
    public int? LatentDimension { get; init; }

    /// <summary>Rows of generated data.</summary>
    public int GeneratedRows { get; init; } = 6000;

    /// <summary>The share of anomalies in generated data.</summary>
    public double GeneratedAnomalyFraction { get; init; } = 0.03;

    /// <summary>Where generated data is written; null: vae-anomaly-demo.csv in the temp folder.</summary>
    public string? GeneratedCsvPath { get; init; }

    /// <summary>The seed of data generation, the split and the VAE.</summary>
    public int Seed { get; init; } = 1;
}

/// <summary>One scored test row, as the example reads it back.</summary>
public sealed class ScoredRow
{
    /// <summary>The VAE's anomaly score: the row's negative ELBO in nats (higher = less likely under the model).</summary>
    public float AnomalyScore { get; set; }

    /// <summary>1 for a labelled anomaly, 0 for a normal row, NaN without labels.</summary>
    public float Label { get; set; } = float.NaN;

    /// <summary>The first text column of the file, if any.</summary>
    public string Info { get; set; } = "";

    /// <summary>The features as read.</summary>
    public float[] RawFeatures { get; set; } = [];

    /// <summary>The features standardized to zero mean and unit variance: what the VAE sees.</summary>
    public float[] Features { get; set; } = [];

    /// <summary>The VAE's reconstruction of <see cref="Features"/>.</summary>
    public float[] Reconstruction { get; set; } = [];
}

/// <summary>What the example measured on the test rows.</summary>
/// <param name="TrainRows">Training rows.</param>
/// <param name="TestRows">Test rows.</param>
/// <param name="Threshold">The score above which a row is flagged.</param>
/// <param name="Flagged">Test rows flagged.</param>
/// <param name="Anomalies">Labelled anomalies among the test rows (null without labels).</param>
/// <param name="Precision">Share of flagged rows that are anomalies (null without labels).</param>
/// <param name="Recall">Share of anomalies flagged (null without labels).</param>
/// <param name="FalseAlarmRate">Share of normal rows flagged (null without labels).</param>
/// <param name="RocAuc">Area under the ROC curve of the score (null without labels).</param>
/// <param name="Auprc">Area under the precision-recall curve of the score (null without labels).</param>
/// <param name="BaselineRocAuc">ROC AUC of the distance from the mean, for comparison (null without labels).</param>
/// <param name="MostAnomalous">The five highest-scoring test rows, highest first.</param>
public sealed record AnomalyResult(
    long TrainRows, int TestRows, float Threshold, int Flagged, int? Anomalies, double? Precision, double? Recall, double? FalseAlarmRate,
    double? RocAuc, double? Auprc, double? BaselineRocAuc, IReadOnlyList<ScoredRow> MostAnomalous);

/// <summary>
/// Anomaly detection with a VAE: fits Concatenate → NormalizeMeanVariance → VaeEncode (with an anomaly-score column)
/// on training rows, picks a threshold from the training scores, then measures how well the score finds anomalies
/// in held-out rows.
/// </summary>
public static class AnomalyExample
{
    private const string ScoreColumn = "AnomalyScore";
    private const int MinimumRows = 50;

    /// <summary>Runs the example and prints as it goes.</summary>
    /// <exception cref="InvalidDataException">The CSV file cannot be used (the message says why).</exception>
    public static AnomalyResult Run(AnomalySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        bool generated = settings.CsvPath is null;
        string path = settings.CsvPath ?? settings.GeneratedCsvPath ?? Path.Combine(Path.GetTempPath(), "vae-anomaly-demo.csv");
        if (generated)
        {
            ServerMetrics.WriteCsv(path, settings.GeneratedRows, settings.GeneratedAnomalyFraction, settings.Seed);
            Console.WriteLine($"Generated {settings.GeneratedRows:N0} rows of server metrics: {ServerMetrics.FeatureNames.Length} metrics driven by 3 hidden factors, " +
                $"about {settings.GeneratedAnomalyFraction:P0} of them anomalies of two kinds: 'pattern' rows, whose metrics are each plausible but do not fit " +
                "together, and 'sensor' rows, with one metric broken.");
            Console.WriteLine($"Wrote them to {path}; pass a CSV file of your own with --csv.");
        }
        string? labelColumn = settings.LabelColumn ?? (CsvTable.ReadHeader(path).Contains("Label") ? "Label" : null);
        var table = CsvTable.Read(path, labelColumn);
        if (table.RowCount < MinimumRows)
            throw new InvalidDataException($"{path} has {table.RowCount} data rows; the example needs at least {MinimumRows} to train on some and test on the rest.");
        Console.WriteLine($"{path}: {table.RowCount:N0} rows, {table.FeatureFields.Count} numeric feature columns" +
            (labelColumn is null ? ", no label column (pass --label-column NAME to measure precision and recall)" : $", label column '{labelColumn}'") +
            (table.InfoField is int info ? $", text column '{table.Header[info]}' (shown, not learned from)" : "") + ".");
        if (table.TextColumns.Skip(1).Any()) Console.WriteLine($"Ignored the other text columns: {string.Join(", ", table.TextColumns.Skip(1))}.");

        var ml = new MLContext(seed: settings.Seed);
        // The VAE makes one pass per epoch: cache the parsed rows instead of parsing the file each time.
        var data = ml.Data.Cache(table.Load(ml));
        var split = ml.Data.TrainTestSplit(data, settings.TestFraction, seed: settings.Seed);

        int features = table.FeatureFields.Count;
        int latent = settings.LatentDimension ?? Math.Clamp(features / 3, 2, 16);
        int hidden = Math.Clamp(2 * features, 32, 256);
        Console.WriteLine($"\nPipeline: Concatenate({features} columns) → " + (table.MissingValueCount > 0 ? "ReplaceMissingValues(mean) → " : "") +
            $"NormalizeMeanVariance → VaeEncode({features}-{hidden}-{latent}, Gaussian, anomaly score = −ELBO), trained on the training rows without their labels.");
        using var model = EpochProgress.Run("training the VAE", settings.Epochs, progress =>
        {
            IEstimator<ITransformer> pipeline = ml.Transforms.Concatenate("RawFeatures", table.FeatureNames.ToArray());
            // The VAE rejects NaN, so empty CSV fields get the column's mean.
            if (table.MissingValueCount > 0)
                pipeline = pipeline.Append(ml.Transforms.ReplaceMissingValues("RawFeatures", replacementMode: MissingValueReplacingEstimator.ReplacementMode.Mean));
            // fixZero: false centres each feature; the default only scales, which leaves features with a large offset nearly constant.
            return pipeline.Append(ml.Transforms.NormalizeMeanVariance("Features", "RawFeatures", fixZero: false))
                .Append(ml.Transforms.VaeEncode(new VaeOptions
                {
                    InputColumnName = "Features", LatentDimension = latent, HiddenDimensions = [hidden], Epochs = settings.Epochs, BatchSize = 64,
                    LearningRate = 3e-3, AnomalyScoreColumnName = ScoreColumn, Seed = settings.Seed, Progress = progress,
                }))
                .Fit(split.TrainSet);
        });

        var trainScores = ml.Data.CreateEnumerable<ScoredRow>(model.Transform(split.TrainSet), reuseRowObject: false, ignoreMissingColumns: true)
            .Select(r => r.AnomalyScore).ToArray();
        float threshold = Quantile(trainScores, settings.ThresholdQuantile);
        Console.WriteLine($"\nThe anomaly score is each row's negative ELBO in nats: how unlikely the row is under the VAE. On the {trainScores.Length:N0} training rows it ranges " +
            $"from {trainScores.Min():F1} to {trainScores.Max():F1}, median {Quantile(trainScores, 0.5):F1}.");
        Console.WriteLine($"Threshold: {threshold:F2}, the {settings.ThresholdQuantile:P0} quantile of the training scores, so normal rows raise an alarm about " +
            $"{1 - settings.ThresholdQuantile:P0} of the time (the chosen false-alarm rate; less when anomalies among the training rows take part of that top share).");

        var scoredTest = model.Transform(split.TestSet);
        var rows = ml.Data.CreateEnumerable<ScoredRow>(scoredTest, reuseRowObject: false, ignoreMissingColumns: true).ToArray();
        int flagged = rows.Count(r => r.AnomalyScore > threshold);
        Console.WriteLine($"\nOn the {rows.Length:N0} test rows, {flagged} score above the threshold.");
        var result = new AnomalyResult(trainScores.Length, rows.Length, threshold, flagged, null, null, null, null, null, null, null, MostAnomalous(rows));
        if (labelColumn is not null)
            result = WithLabels(ml, result, rows, scoredTest, threshold, generated);
        PrintMostAnomalous(result.MostAnomalous, table, threshold);
        return result;
    }

    private static AnomalyResult WithLabels(MLContext ml, AnomalyResult result, ScoredRow[] rows, IDataView scoredTest, float threshold, bool generated)
    {
        // ML.NET's evaluator: ROC AUC and AUPRC rank the scores (no threshold needed). Its precision and recall take
        // score > 0 as an alarm (it requires a PredictedLabel column but does not read it), so it gets the score minus
        // the threshold: the ranking, and so the AUCs, stay the same, and its counts are those at the chosen threshold.
        var alarms = ml.Transforms.CustomMapping<ScoreInput, Alarm>((row, alarm) =>
        {
            alarm.Margin = row.AnomalyScore - threshold;
            alarm.PredictedLabel = alarm.Margin > 0;
        }, contractName: null).Fit(scoredTest).Transform(scoredTest);
        var metrics = ml.BinaryClassification.EvaluateNonCalibrated(alarms, "Label", scoreColumnName: nameof(Alarm.Margin));
        int anomalies = rows.Count(r => r.Label == 1), normal = rows.Count(r => r.Label == 0);
        int truePositives = rows.Count(r => r.Label == 1 && r.AnomalyScore > threshold);
        int alarmCount = rows.Count(r => !float.IsNaN(r.Label) && r.AnomalyScore > threshold);
        double precision = metrics.PositivePrecision, recall = metrics.PositiveRecall, falseAlarms = 1 - metrics.NegativeRecall;
        Console.WriteLine($"{anomalies} of them are labelled anomalies. At the threshold: precision {precision:P1} ({truePositives} of {alarmCount} alarms are anomalies), " +
            $"recall {recall:P1} ({truePositives} of {anomalies} anomalies found), false alarms on {falseAlarms:P1} of the {normal:N0} normal rows.");
        if (generated)
            Console.WriteLine("Recall by kind: " + string.Join(", ", rows.Where(r => r.Label == 1).GroupBy(r => r.Info).OrderBy(g => g.Key)
                .Select(g => $"{g.Key} {g.Count(r => r.AnomalyScore > threshold)} of {g.Count()}")) + ".");

        // Only the baseline's ROC AUC is read, which ranks its scores: its PredictedLabel is there because the evaluator requires one.
        var baseline = ml.BinaryClassification.EvaluateNonCalibrated(
            ml.Data.LoadFromEnumerable(rows.Select(r => new BaselineRow { Label = r.Label, Score = r.Features.Sum(x => x * x) })), "Label", scoreColumnName: "Score");
        Console.WriteLine($"Ranking quality of the score (no threshold needed): ROC AUC {metrics.AreaUnderRocCurve:F3}, area under the precision-recall curve {metrics.AreaUnderPrecisionRecallCurve:F3}.");
        Console.WriteLine($"For comparison, the squared distance from the mean (of the standardized features) reaches ROC AUC {baseline.AreaUnderRocCurve:F3}: " +
            "the VAE also catches rows whose values are each ordinary but whose combination is not.");
        return result with
        {
            Anomalies = anomalies, Precision = precision, Recall = recall, FalseAlarmRate = falseAlarms, RocAuc = metrics.AreaUnderRocCurve,
            Auprc = metrics.AreaUnderPrecisionRecallCurve, BaselineRocAuc = baseline.AreaUnderRocCurve,
        };
    }

    private static void PrintMostAnomalous(IReadOnlyList<ScoredRow> rows, CsvTable table, float threshold)
    {
        var names = table.FeatureNames.ToArray();
        var grid = new Table().Title(new TableTitle("The five most anomalous test rows", Style.Plain))
            .AddColumn("score", c => c.RightAligned()).AddColumn("label", c => c.RightAligned());
        if (table.InfoField is int info) grid.AddColumn(Markup.Escape(table.Header[info]));
        grid.AddColumn("the feature furthest from its reconstruction");
        foreach (var row in rows)
        {
            // In standardized units, so features of different ranges compare.
            int worst = Enumerable.Range(0, row.Features.Length).MaxBy(j => Math.Abs(row.Features[j] - row.Reconstruction[j]));
            var cells = new List<string> { $"{row.AnomalyScore:F1}", float.IsNaN(row.Label) ? "-" : $"{row.Label}" };
            if (table.InfoField is not null) cells.Add(Markup.Escape(row.Info));
            cells.Add(Markup.Escape($"{names[worst]} = {row.RawFeatures[worst]:G4}, {Math.Abs(row.Features[worst] - row.Reconstruction[worst]):F1} sd off"));
            grid.AddRow(cells.ToArray());
        }
        Console.WriteLine();
        AnsiConsole.Write(grid);
        Console.WriteLine($"Every score above {threshold:F2} raises an alarm; \"sd off\": the distance between the feature and its reconstruction, in standard deviations of that feature.");
    }

    private static ScoredRow[] MostAnomalous(ScoredRow[] rows) => rows.OrderByDescending(r => r.AnomalyScore).Take(5).ToArray();

    /// <summary>The nearest-rank quantile: the smallest value with at least a share <paramref name="q"/> of the values at or below it.</summary>
    public static float Quantile(float[] values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private sealed class ScoreInput
    {
        public float AnomalyScore { get; set; }
    }

    private sealed class Alarm
    {
        public float Margin { get; set; }

        public bool PredictedLabel { get; set; }
    }

    private sealed class BaselineRow
    {
        public float Label { get; set; }

        public float Score { get; set; }

        public bool PredictedLabel { get; set; }
    }
}
