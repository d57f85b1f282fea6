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
}
