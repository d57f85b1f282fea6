using Vae.MLNet.Examples;

namespace Vae.MLNet.Tests.EndToEnd.Examples;

/// <summary>examples/AnomalyDetection, run in-process: its figures on generated data, and CSV files of other shapes.</summary>
[TestClass]
[DoNotParallelize] // Spectre.Console allows one live progress display per process.
public sealed class AnomalyDetectionExampleTests
{
    private string _folder = "";

    [TestInitialize]
    public void CreateFolder() => _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"vae-anomaly-{Guid.NewGuid():N}")).FullName;

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    /// <summary>The example as it runs by default (6,000 rows, 40 epochs: over a minute on 2 cores), with the README's claims.</summary>
    [TestMethod]
    [TestCategory("Slow")]
    public void GeneratedDataIsRankedWellAndMostAnomaliesPassTheThreshold()
    {
        var result = AnomalyExample.Run(new AnomalySettings { GeneratedCsvPath = Path.Combine(_folder, "metrics.csv") });

        Assert.IsTrue(result.RocAuc > 0.9, $"ROC AUC {result.RocAuc:F3}");
        Assert.IsTrue(result.Recall > 0.5, $"recall {result.Recall:F3} at the 95% quantile");
        // The threshold is the 95% quantile of training scores, so normal test rows should rarely pass it.
        Assert.IsTrue(result.FalseAlarmRate is > 0 and < 0.08, $"false-alarm rate {result.FalseAlarmRate:F3}");
        Assert.IsTrue(result.RocAuc > result.BaselineRocAuc + 0.1, $"VAE {result.RocAuc:F3} vs distance from the mean {result.BaselineRocAuc:F3}");
        Assert.AreEqual(5, result.MostAnomalous.Count);
        Assert.IsTrue(result.MostAnomalous.Zip(result.MostAnomalous.Skip(1)).All(p => p.First.AnomalyScore >= p.Second.AnomalyScore), "highest score first");
        Assert.IsTrue(result.MostAnomalous[0].AnomalyScore > result.Threshold);
        Assert.AreEqual(result.Flagged, (int)Math.Round(result.Recall!.Value * result.Anomalies!.Value) + (int)Math.Round(result.FalseAlarmRate!.Value * (result.TestRows - result.Anomalies.Value)));
    }

    /// <summary>A short run of the default path (fewer rows and epochs): the evaluator's figures are consistent with the counts.</summary>
    [TestMethod]
    public void ShortRunOnGeneratedDataBeatsTheDistanceBaselineAndCountsAgree()
    {
        var result = AnomalyExample.Run(new AnomalySettings { GeneratedCsvPath = Path.Combine(_folder, "metrics.csv"), GeneratedRows = 1500, Epochs = 8 });

        Assert.AreEqual(1500, result.TrainRows + result.TestRows);
        Assert.IsTrue(result.RocAuc > 0.8, $"ROC AUC {result.RocAuc:F3}");
        Assert.IsTrue(result.RocAuc > result.BaselineRocAuc, $"VAE {result.RocAuc:F3} vs distance from the mean {result.BaselineRocAuc:F3}");
        Assert.IsTrue(result.Auprc is > 0 and <= 1, $"AUPRC {result.Auprc:F3}");
        // Precision, recall and false alarms come from ML.NET's evaluator; the flagged rows are counted by the example.
        int anomalies = result.Anomalies!.Value;
        int truePositives = (int)Math.Round(result.Recall!.Value * anomalies);
        Assert.AreEqual(result.Flagged, truePositives + (int)Math.Round(result.FalseAlarmRate!.Value * (result.TestRows - anomalies)));
        if (result.Flagged > 0) Assert.AreEqual((double)truePositives / result.Flagged, result.Precision!.Value, 1e-9);
        Assert.IsTrue(result.MostAnomalous.Zip(result.MostAnomalous.Skip(1)).All(p => p.First.AnomalyScore >= p.Second.AnomalyScore), "highest score first");
    }

    [TestMethod]
    public void CsvWithoutLabelsIsScoredWithItsTextColumnAndMissingValues()
    {
        string path = WriteCsv("id,width,height,note,area", rows: 300, row: i =>
        {
            double w = 1 + i % 17 * 0.1, h = 2 + i % 13 * 0.1;
            string area = i == 7 ? "" : (i == 150 ? "40" : $"{w * h:F3}");  // one empty field, one row that breaks area = width × height
            return $"r{i},{w:F2},{h:F2},text {i},{area}";
        });
        var result = AnomalyExample.Run(new AnomalySettings { CsvPath = path, Epochs = 30, TestFraction = 0.5, Seed = 3 });

        Assert.IsNull(result.RocAuc);
        Assert.IsNull(result.Recall);
        Assert.AreEqual(5, result.MostAnomalous.Count);
        Assert.IsTrue(result.MostAnomalous.All(r => r.Info.StartsWith('r')), "the first text column (id) is carried along");
        Assert.AreEqual(3, result.MostAnomalous[0].RawFeatures.Length, "width, height, area: the two text columns are not features");
        Assert.IsTrue(float.IsFinite(result.Threshold));
    }

    [TestMethod]
    public void CsvTableFindsFeaturesLabelTextColumnsAndMissingValues()
    {
        string path = WriteCsv("name,x,y,bad,comment", rows: 3, row: i => $"n{i},{i},{(i == 1 ? "" : "2.5")},{i % 2},c");
        var table = CsvTable.Read(path, "bad");
        CollectionAssert.AreEqual(new[] { "x", "y" }, table.FeatureNames.ToArray());
        Assert.AreEqual(3, table.LabelField);
        Assert.AreEqual(0, table.InfoField);
        CollectionAssert.AreEqual(new[] { "name", "comment" }, table.TextColumns.ToArray());
        Assert.AreEqual(3L, table.RowCount);
        Assert.AreEqual(1L, table.MissingValueCount);
    }

    [TestMethod]
    public void CsvTableRejectsALabelThatIsNotZeroOrOneAndRowsOfTheWrongWidth()
    {
        string labels = WriteCsv("x,Label", rows: 3, row: i => $"{i},{i}");
        var e = Assert.ThrowsExactly<InvalidDataException>(() => CsvTable.Read(labels, "Label"));
        StringAssert.Contains(e.Message, "row 3");
        StringAssert.Contains(e.Message, "'2'");

        string ragged = WriteCsv("x,y", rows: 2, row: i => i == 1 ? "1,2,3" : "1,2");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => CsvTable.Read(ragged, null)).Message, "3 fields");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => CsvTable.Read(ragged, "z")).Message, "no column 'z'");
    }

    [TestMethod]
    public void CommandExitsWithTwoForAMissingFileOrABadQuantile()
    {
        Assert.AreEqual(AnomalyCommand.UsageError, AnomalyCommand.Invoke(["--csv", Path.Combine(_folder, "absent.csv")]));
        Assert.AreEqual(AnomalyCommand.UsageError, AnomalyCommand.Invoke(["--threshold-quantile", "1.5"]));
        Assert.AreEqual(AnomalyCommand.UsageError, AnomalyCommand.Invoke(["--threshold-quantile", "high"]));
        Assert.AreEqual(AnomalyCommand.UsageError, AnomalyCommand.Invoke(["--epochs", "0"]));
        string labels = WriteCsv("x,Label", rows: 60, row: i => $"{i},{i % 3}");
        Assert.AreEqual(AnomalyCommand.UsageError, AnomalyCommand.Invoke(["--csv", labels]), "label 2 is neither normal nor anomaly");
    }

    [TestMethod]
    public void QuantileIsTheNearestRank()
    {
        var values = Enumerable.Range(1, 100).Select(i => (float)(101 - i)).ToArray();
        Assert.AreEqual(95f, AnomalyExample.Quantile(values, 0.95));
        Assert.AreEqual(1f, AnomalyExample.Quantile(values, 0.001));
        Assert.AreEqual(100f, AnomalyExample.Quantile(values, 0.999));
        Assert.AreEqual(7f, AnomalyExample.Quantile([7f], 0.5));
    }

    private string WriteCsv(string header, int rows, Func<int, string> row)
    {
        string path = Path.Combine(_folder, $"{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, Enumerable.Range(0, rows).Select(row).Prepend(header));
        return path;
    }
}
