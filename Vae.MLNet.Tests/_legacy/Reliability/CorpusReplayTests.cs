namespace Vae.MLNet.Tests.Reliability;

/// <summary>
/// Replays every input that ever broke a property (Corpus/, copied beside the tests): model files named after the
/// sample whose data they transform, text files with their loader settings in a .json beside them.
/// </summary>
[TestClass]
public sealed class CorpusReplayTests
{
    private static string Folder(string name) => Path.Combine(AppContext.BaseDirectory, "Reliability", "Corpus", name);

    private static string[] Files(string folder, string pattern)
    {
        var files = Directory.GetFiles(Folder(folder), pattern).Order(StringComparer.Ordinal).ToArray();
        Assert.IsTrue(files.Length > 0, $"no corpus files in {Folder(folder)}");
        return files;
    }

    [TestMethod]
    public void EveryModelInTheCorpusLoadsOrFailsCleanly()
    {
        foreach (string file in Files("model", "*.zip"))
        {
            var sample = ModelSamples.ByName(Path.GetFileName(file).Split('-')[0]);
            var outcome = ModelLoadCheck.ExpectClean(sample.Name, File.ReadAllBytes(file), sample.Data, Path.GetFileName(file));
            Console.WriteLine($"{Path.GetFileName(file)}: {(outcome.Error is { } e ? e.Message : "loaded and transformed")}");
        }
    }

    [TestMethod]
    public void EveryTextFileInTheCorpusLoadsOrFailsCleanly()
    {
        foreach (string file in Files("text", "*.csv"))
        {
            var settings = TextCase.FromJson(File.ReadAllText(Path.ChangeExtension(file, ".json")));
            int rows = TextLoadCheck.Expect(settings, File.ReadAllBytes(file));
            Console.WriteLine($"{Path.GetFileName(file)}: {rows} rows or a clean rejection");
        }
    }
}
