using Vae.MLNet.Examples;
using Vae.MLNet.Tests.Support;

namespace Vae.MLNet.Tests.EndToEnd.Examples;

/// <summary>examples/LatentImportance, run in-process on a slice of MNIST: the importance table and the ONNX files it writes.</summary>
[TestClass]
public sealed class LatentImportanceExampleTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void AShortRunReportsEveryLatentDimensionByNameAndWritesTheOnnxModel()
    {
        string data = SharedData.Folder("mnist");
        string folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"vae-importance-{Guid.NewGuid():N}")).FullName;
        try
        {
            var output = new StringWriter();
            var result = LatentImportanceExample.Run(new LatentImportanceSettings
            {
                DataFolder = data, TrainRows = 3000, TestRows = 500, Epochs = 3, LatentDimension = 4, Permutations = 1,
                OnnxPath = Path.Combine(folder, "model.onnx"),
            }, output);
            TestContext.WriteLine(output.ToString());

            CollectionAssert.AreEquivalent(new[] { "z0", "z1", "z2", "z3" }, result.Dimensions.Select(d => d.Slot).ToArray());
            Assert.IsTrue(result.Dimensions.Zip(result.Dimensions.Skip(1)).All(p => p.First.AccuracyChange <= p.Second.AccuracyChange), "the most important dimension first");
            Assert.IsGreaterThan(0.25, result.Accuracy, "a linear classifier on 4 latent means beats chance (0.1)");
            Assert.IsLessThan(-0.02, result.Dimensions[0].AccuracyChange, "shuffling the most important dimension costs accuracy");
            Assert.IsTrue(result.Dimensions.All(d => d.Kl >= 0), "KL per dimension is non-negative");
            string text = output.ToString();
            foreach (var d in result.Dimensions) StringAssert.Contains(text, $"  {d.Slot} ");
            Assert.IsGreaterThan(100_000, new FileInfo(Path.Combine(folder, "model.onnx")).Length, "the ONNX model carries the VAE's weights");
            Assert.IsTrue(File.Exists(Path.Combine(folder, "input.idv")), "the test pixels to score it on");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
