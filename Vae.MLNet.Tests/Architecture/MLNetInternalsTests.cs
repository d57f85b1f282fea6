using System.Reflection;

namespace Vae.MLNet.Tests.Architecture;

/// <summary>
/// The ML.NET internals the library compiles against (through publicized references) must exist at run time with the
/// same signatures: a Microsoft.ML that moved one fails here by name, not as a MissingMethodException deep in a save.
/// </summary>
[TestClass]
public sealed class MLNetInternalsTests
{
    private const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    [TestMethod]
    public void TheLibraryRunsOnMicrosoftMl5Or6AsTheBuildAsked()
    {
        // ML.NET keeps its assembly version at 1.0.0.0; the package version is in the informational version.
        string version = typeof(Microsoft.ML.MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.IsTrue(version.StartsWith("5.0.", StringComparison.Ordinal) || version.StartsWith("6.0.", StringComparison.Ordinal),
            $"Persistence/ is checked against Microsoft.ML 5.0.x and 6.0.x; this is {version}.");
        // The suite runs on the version the build property named (./run.sh test --mlnet X), not one NuGet lifted it to.
        StringAssert.StartsWith(version, Packaging.MLNetBuild.Version, $"the build asked for Microsoft.ML {Packaging.MLNetBuild.Version}; the test process loaded {version}.");
    }

    [TestMethod]
    public void EveryInternalMemberTheLibraryUsesIsThere()
    {
        var core = typeof(Microsoft.ML.ModelSaveContext).Assembly;
        var data = typeof(Microsoft.ML.Data.TextLoader).Assembly;
        Type Internal(Assembly assembly, string name) => assembly.GetType(name, throwOnError: false) ?? throw new AssertFailedException($"{name} is gone from {assembly.GetName()}.");
        var loadContext = Internal(core, "Microsoft.ML.ModelLoadContext");
        var catalogUtils = Internal(data, "Microsoft.ML.Data.CatalogUtils");
        (Type Type, string Member, Type[] Parameters)[] used =
        [
            (typeof(Microsoft.ML.ModelSaveContext), "CheckAtModel", []),
            (typeof(Microsoft.ML.ModelSaveContext), "SetVersionInfo", [core.GetType("Microsoft.ML.VersionInfo", throwOnError: true)!]),
            (typeof(Microsoft.ML.ModelSaveContext), "SaveBinaryStream", [typeof(string), typeof(Action<BinaryWriter>)]),
            (loadContext, "CheckAtModel", [core.GetType("Microsoft.ML.VersionInfo", throwOnError: true)!]),
            (loadContext, "TryLoadBinaryStream", [typeof(string), typeof(Action<BinaryReader>)]),
            (catalogUtils, "GetEnvironment", [data.GetType("Microsoft.ML.Data.IInternalCatalog", throwOnError: true)!]),
        ];
        foreach (var (type, member, parameters) in used)
            Assert.IsNotNull(type.GetMethod(member, Any, parameters), $"{type.FullName}.{member}({string.Join(", ", parameters.Select(p => p.Name))}) is gone from Microsoft.ML {type.Assembly.GetName().Version}.");
        foreach (string field in new[] { "Writer", "Reader" })
            Assert.IsNotNull(typeof(Microsoft.ML.ModelSaveContext).GetField(field, Any) ?? loadContext.GetField(field, Any), $"the {field} field of ML.NET's model contexts is gone.");
        Assert.IsNotNull(core.GetType("Microsoft.ML.Runtime.IHostEnvironmentInternal")?.GetProperty("Seed", Any), "IHostEnvironmentInternal.Seed is gone.");
        foreach (string field in new[] { "Repository", "Directory" })
            Assert.IsNotNull(loadContext.GetField(field, Any), $"ModelLoadContext.{field} is gone.");
        Assert.AreEqual(typeof(Dictionary<string, System.IO.Compression.ZipArchiveEntry>), Internal(core, "Microsoft.ML.RepositoryReader").GetField("_entries", Any)?.FieldType,
            "RepositoryReader._entries (the zip's entries by path, read for their declared sizes) is gone or changed.");
        Assert.IsNotNull(core.GetType("Microsoft.ML.LoadableClassAttribute")?.GetConstructor(Any, [typeof(Type), typeof(Type), typeof(Type), typeof(Type), typeof(string), typeof(string[])]),
            "LoadableClassAttribute(instance, loader, args, signature, name, load names) is gone.");
    }

    [TestMethod]
    public void EveryOnnxInternalTheExportUsesIsThere()
    {
        var data = typeof(Microsoft.ML.Data.TextLoader).Assembly;
        Type Internal(string name) => data.GetType(name, throwOnError: false) ?? throw new AssertFailedException($"{name} is gone from {data.GetName()}.");
        var context = Internal("Microsoft.ML.Model.OnnxConverter.OnnxContext");
        var node = Internal("Microsoft.ML.Model.OnnxConverter.OnnxNode");
        var canSave = Internal("Microsoft.ML.Model.OnnxConverter.ITransformCanSaveOnnx");
        // The converter walks the views back through IDataTransform.Source and asks each, as ITransformCanSaveOnnx, for its nodes.
        CollectionAssert.IsSubsetOf(new[] { "ISaveAsOnnx", "ICanSaveOnnx", "IDataTransform", "IDataView", "ICanSaveModel" }, canSave.GetInterfaces().Select(i => i.Name).ToArray());
        Assert.IsTrue(canSave.IsAssignableFrom(typeof(VaeTransformer).Assembly.GetType("Vae.MLNet.Onnx.VaeTransformedView", throwOnError: true)));
        (Type Type, string Member, Type[] Parameters)[] used =
        [
            (context, "GetVariableName", [typeof(string)]),
            (context, "ContainsColumn", [typeof(string)]),
            (context, "GetNodeName", [typeof(string)]),
            (context, "AddIntermediateVariable", [typeof(Microsoft.ML.Data.DataViewType), typeof(string), typeof(bool)]),
            (context, "CreateNode", [typeof(string), typeof(IEnumerable<string>), typeof(IEnumerable<string>), typeof(string), typeof(string)]),
            (context, "AddInitializer", [typeof(IEnumerable<float>), typeof(IEnumerable<long>), typeof(string), typeof(bool)]),
            (context, "AddInitializer", [typeof(IEnumerable<long>), typeof(IEnumerable<long>), typeof(string), typeof(bool)]),
            (node, "AddAttribute", [typeof(string), typeof(long)]),
            (node, "AddAttribute", [typeof(string), typeof(double)]),
            (node, "AddAttribute", [typeof(string), typeof(IEnumerable<long>)]),
            (node, "AddAttribute", [typeof(string), typeof(Type)]),
        ];
        foreach (var (type, member, parameters) in used)
            Assert.IsNotNull(type.GetMethod(member, Any, parameters), $"{type.FullName}.{member}({string.Join(", ", parameters.Select(p => p.Name))}) is gone from Microsoft.ML {type.Assembly.GetName().Version}.");
    }

    [TestMethod]
    public void TheContextSeedReachesTheVae()
    {
        Assert.AreEqual(42, Vae.MLNet.Persistence.MLNetInternals.Seed(Vae.MLNet.Persistence.MLNetInternals.Environment(new Microsoft.ML.MLContext(seed: 42).Transforms)));
        Assert.IsNull(Vae.MLNet.Persistence.MLNetInternals.Seed(Vae.MLNet.Persistence.MLNetInternals.Environment(new Microsoft.ML.MLContext().Transforms)));
    }
}
