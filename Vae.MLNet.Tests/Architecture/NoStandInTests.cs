using System.Reflection;

namespace Vae.MLNet.Tests.Architecture;

/// <summary>The library stands on Microsoft.ML and TorchSharp: it must define none of their types again.</summary>
[TestClass]
public sealed class NoStandInTests
{
    private static readonly string[] ForeignNames = ["MLContext", "IDataView", "DataViewSchema", "VBuffer", "VBuffer`1", "Tensor", "Module", "Module`2", "Linear", "Sequential", "TransformsCatalog", "ITransformer", "IEstimator`1", "SchemaShape", "PredictionEngine`2"];

    [TestMethod]
    public void TheLibraryDefinesNoMlNetOrTorchTypesOfItsOwn()
    {
        var library = typeof(VaeTransformer).Assembly;
        var clashes = library.GetTypes().Where(t => ForeignNames.Contains(t.Name)).Select(t => t.FullName).ToArray();
        Assert.IsEmpty(clashes, $"Vae.MLNet defines types that Microsoft.ML or TorchSharp provide: {string.Join(", ", clashes)}");
    }

    [TestMethod]
    public void TheVaeTypesImplementMicrosoftMlInterfacesAndTheCatalogExtendsItsTransforms()
    {
        Assert.IsTrue(typeof(Microsoft.ML.ITransformer).IsAssignableFrom(typeof(VaeTransformer)));
        Assert.IsTrue(typeof(Microsoft.ML.IEstimator<VaeTransformer>).IsAssignableFrom(typeof(VaeEstimator)));
        var encode = typeof(Microsoft.ML.VaeCatalog).GetMethods().First(m => m.Name == "VaeEncode");
        Assert.AreEqual(typeof(Microsoft.ML.TransformsCatalog), encode.GetParameters()[0].ParameterType);
        Assert.AreEqual("Microsoft.ML", typeof(Microsoft.ML.VaeCatalog).Namespace);
    }

    [TestMethod]
    public void TheLibraryReferencesTheRealPackages()
    {
        var references = typeof(VaeTransformer).Assembly.GetReferencedAssemblies().ToDictionary(a => a.Name!, a => a.Version);
        Assert.IsTrue(references.ContainsKey("Microsoft.ML.Core"));
        Assert.IsTrue(references.ContainsKey("Microsoft.ML.Data"));
        Assert.IsTrue(references.ContainsKey("TorchSharp"));
        Assert.AreEqual(typeof(TorchSharp.torch).Assembly.GetName().Version, references["TorchSharp"]);
    }

    [TestMethod]
    public void TheCoreCarriesNoPlottingAndTheReportDrawsWithLibraries()
    {
        var core = typeof(VaeTransformer).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        Assert.IsFalse(core.Any(n => n.StartsWith("ScottPlot", StringComparison.Ordinal) || n.StartsWith("SkiaSharp", StringComparison.Ordinal)),
            $"the core library references a plotting or imaging assembly: {string.Join(", ", core)}");
        var report = typeof(Vae.MLNet.Reporting.VaeReport).Assembly;
        var references = report.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        CollectionAssert.IsSubsetOf(new[] { "ScottPlot", "SkiaSharp", "Microsoft.ML.PCA" }, references, $"the report references {string.Join(", ", references)}");
        // What those libraries do, the report no longer does itself.
        var own = report.GetTypes().Where(t => t.Name is "PngEncoder" or "Crc32" or "Pca" or "Svg" or "NiceTicks" or "PlotFrame").Select(t => t.FullName).ToArray();
        Assert.IsEmpty(own, $"the report re-implements: {string.Join(", ", own)}");
    }
}
