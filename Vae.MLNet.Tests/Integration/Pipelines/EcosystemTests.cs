using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.Integration.Pipelines;

/// <summary>
/// What an ML.NET user expects of any transform, with the VAE in the chain: Preview shows its columns, its outputs carry
/// slot names (z0, z1, …; the input's for the reconstruction) that Concatenate and permutation feature importance pass
/// on, and a model saved with its loader comes back through LoadWithDataLoader.
/// </summary>
[TestClass]
public sealed class EcosystemTests
{
    private const int Latent = 4;
    private static readonly string[] SensorNames = Enumerable.Range(0, SyntheticData.Dimension).Select(i => $"sensor_{i}").ToArray();

    private string _folder = "";

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateFolder() => _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"vae-ecosystem-{Guid.NewGuid():N}")).FullName;

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [TestMethod]
    public void PreviewShowsTheVaeColumnsAndTheirSlotNamesReachConcatenate()
    {
        var ml = new MLContext(seed: 1);
        string csv = WriteCsv(200);
        var data = Loader(ml, csv).Load(csv);
        using var vae = ml.Transforms.VaeEncode(Options()).Fit(data);
        var transformed = ml.Transforms.Concatenate("Combined", "LatentMean", "Label").Fit(vae.Transform(data)).Transform(vae.Transform(data));

        var preview = transformed.Preview(maxRows: 5);
        Assert.HasCount(5, preview.RowView);
        foreach (var (column, width) in new[] { ("LatentMean", Latent), ("LatentLogVariance", Latent), ("Reconstruction", SyntheticData.Dimension) })
        {
            var values = preview.ColumnView.Single(c => c.Column.Name == column).Values;
            Assert.HasCount(5, values, column);
            Assert.AreEqual(width, ((VBuffer<float>)values[2]).Length, column);
        }
        var means = preview.ColumnView.Single(c => c.Column.Name == "LatentMean").Values.Select(v => ((VBuffer<float>)v).GetItemOrDefault(0)).ToArray();
        Assert.IsTrue(means.Distinct().Count() > 1, "the previewed latent means differ between rows");

        CollectionAssert.AreEqual(Enumerable.Range(0, Latent).Select(i => $"z{i}").ToArray(), SlotNames(transformed.Schema["LatentMean"]));
        CollectionAssert.AreEqual(Enumerable.Range(0, Latent).Select(i => $"z{i}").ToArray(), SlotNames(transformed.Schema["LatentLogVariance"]));
        CollectionAssert.AreEqual(SensorNames, SlotNames(transformed.Schema["Reconstruction"]), "the reconstruction reads like the CSV's header");
        // Concatenate names a vector's slots "Column.slot" and a scalar's slots by the column.
        string[] combined = SlotNames(transformed.Schema["Combined"]);
        TestContext.WriteLine($"Combined slot names: {string.Join(", ", combined)}");
        CollectionAssert.AreEqual(Enumerable.Range(0, Latent).Select(i => $"LatentMean.z{i}").Append("Label").ToArray(), combined);
    }

    [TestMethod]
    public void AModelSavedWithItsLoaderComesBackThroughLoadWithDataLoader()
    {
        var ml = new MLContext(seed: 2);
        string csv = WriteCsv(150);
        var loader = Loader(ml, csv);
        var model = ml.Transforms.NormalizeMinMax("Features").Append(ml.Transforms.VaeEncode(Options())).Fit(loader.Load(csv));
        string path = Path.Combine(_folder, "model.zip");
        ml.Model.Save(model, loader, path);

        var fresh = new MLContext();
        var loadedModel = fresh.Model.LoadWithDataLoader(path, out IDataLoader<IMultiStreamSource> loadedLoader);
        var expected = Means(model.Transform(loader.Load(csv)));
        var actual = Means(loadedModel.Transform(loadedLoader.Load(new MultiFileSource(csv))));
        Assert.HasCount(150, actual);
        for (int i = 0; i < expected.Length; i++)
            CollectionAssert.AreEqual(expected[i], actual[i], $"row {i}: the loaded loader and model give the same latent means");

        // The same file also loads as a plain model, and the loader alone reads the CSV with its header's slot names.
        var plain = fresh.Model.Load(path, out var inputSchema);
        Assert.AreEqual(SyntheticData.Dimension, ((VectorDataViewType)inputSchema["Features"].Type).Size);
        Assert.HasCount(150, Means(plain.Transform(loadedLoader.Load(new MultiFileSource(csv)))));
        CollectionAssert.AreEqual(SensorNames, SlotNames(loadedLoader.Load(new MultiFileSource(csv)).Schema["Features"]));
    }

    [TestMethod]
    public void PermutationFeatureImportanceOfADownstreamModelIsKeyedByLatentDimension()
    {
        var ml = new MLContext(seed: 3);
        string csv = WriteCsv(400);
        var data = Loader(ml, csv).Load(csv);
        var model = ml.Transforms.NormalizeMinMax("Features")
            .Append(ml.Transforms.VaeEncode(Options(epochs: 25)))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "LatentMean", maximumNumberOfIterations: 50))
            .Fit(data);
        double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(data)).MicroAccuracy;
        Assert.IsGreaterThan(0.8, accuracy, "the classifier on the latent means learned the classes");

        // As ML.NET's own samples call it: the model and the data it transformed; it permutes the last trainer's features.
        var importance = ml.MulticlassClassification.PermutationFeatureImportance(model, model.Transform(data), "Label", permutationCount: 3);
        foreach (var (slot, stats) in importance.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            TestContext.WriteLine($"{slot}: micro-accuracy change {stats.MicroAccuracy.Mean:+0.000;-0.000} ± {stats.MicroAccuracy.StandardError:0.000}");
        CollectionAssert.AreEquivalent(Enumerable.Range(0, Latent).Select(i => $"z{i}").ToArray(), importance.Keys.ToArray());
        // The classes differ along few latent directions, so shuffling one of them must cost real accuracy.
        double largestDrop = -importance.Values.Min(s => s.MicroAccuracy.Mean);
        Assert.IsGreaterThan(0.05, largestDrop, $"the most important latent dimension costs {largestDrop:F3} micro-accuracy when shuffled");
    }

    private static VaeOptions Options(int epochs = 5) =>
        new() { LatentDimension = Latent, HiddenDimensions = [16], Epochs = epochs, BatchSize = 32, Seed = 7 };

    /// <summary>A CSV file of <see cref="SyntheticData"/> rows with a header line naming the label and 20 sensors.</summary>
    private string WriteCsv(int rows)
    {
        string path = Path.Combine(_folder, $"rows-{rows}.csv");
        var lines = SyntheticData.LinearGaussian(rows, seed: rows)
            .Select(r => string.Join(',', r.Features.Select(v => v.ToString("R", CultureInfo.InvariantCulture)).Prepend(r.Label.ToString(CultureInfo.InvariantCulture))));
        File.WriteAllLines(path, lines.Prepend(string.Join(',', SensorNames.Prepend("label"))));
        return path;
    }

    /// <summary>
    /// The CSV's loader: the label and a vector of the 20 sensors, whose slot names TextLoader reads from the header of
    /// the sample file it is made with.
    /// </summary>
    private static TextLoader Loader(MLContext ml, string sample) => ml.Data.CreateTextLoader(
        [new TextLoader.Column("Label", DataKind.Single, 0), new TextLoader.Column("Features", DataKind.Single, 1, SyntheticData.Dimension)],
        separatorChar: ',', hasHeader: true, dataSample: new MultiFileSource(sample));

    private static string[] SlotNames(DataViewSchema.Column column)
    {
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        column.GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    private static float[][] Means(IDataView data)
    {
        var column = data.Schema["LatentMean"];
        var result = new List<float[]>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var buffer = default(VBuffer<float>);
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            result.Add(buffer.DenseValues().ToArray());
        }
        return result.ToArray();
    }
}
