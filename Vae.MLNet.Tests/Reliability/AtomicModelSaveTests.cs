using Microsoft.ML;
using Vae.MLNet.Tests.Support.ModelFiles;

namespace Vae.MLNet.Tests.Reliability;

/// <summary>
/// A save that fails midway (here: a pipeline whose VAE was disposed, so its Save throws after ML.NET wrote the entries
/// before it) over a good model file: ML.NET's <c>Model.Save(path)</c> leaves a damaged file, <c>SaveAtomically</c>
/// leaves the old file byte for byte and no temporary file.
/// </summary>
[TestClass]
public sealed class AtomicModelSaveTests
{
    [TestMethod]
    public void AFailedSaveLeavesTheOldFileWholeAndNoTemporaryFile()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(ModelSamples.Rows(32));
        string folder = Directory.CreateTempSubdirectory("vae-atomic-save-").FullName;
        string path = Path.Combine(folder, "model.zip");
        try
        {
            var good = ml.Transforms.NormalizeMinMax("Features").Append(ml.Transforms.VaeEncode(ModelSamples.TinyVae())).Fit(data);
            ml.Model.SaveAtomically(good, data.Schema, path);
            var original = File.ReadAllBytes(path);
            Assert.IsTrue(ModelLoadCheck.Run(original, data) is { Loaded: true, Error: null }, "the atomically saved model loads and transforms");

            var broken = ml.Transforms.NormalizeMinMax("Features").Append(ml.Transforms.VaeEncode(ModelSamples.TinyVae())).Fit(data);
            broken.LastTransformer.Dispose();
            Assert.ThrowsExactly<ObjectDisposedException>(() => ml.Model.SaveAtomically(broken, data.Schema, path));
            CollectionAssert.AreEqual(original, File.ReadAllBytes(path), "the old model file changed");
            CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(folder), "a temporary file was left");

            // ML.NET's own Save truncates the file first: the same failure leaves a damaged file (why SaveAtomically exists).
            Assert.ThrowsExactly<ObjectDisposedException>(() => ml.Model.Save(broken, data.Schema, path));
            var after = File.ReadAllBytes(path);
            Console.WriteLine($"ML.NET's Save(path) after the same failure: {after.Length} bytes where {original.Length} were; loads: {ModelLoadCheck.Run(after, data).Loaded}");
            Assert.IsFalse(ModelLoadCheck.Run(after, data).Loaded, "ML.NET's Save(path) left a loadable file after a failure");
            good.LastTransformer.Dispose();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
