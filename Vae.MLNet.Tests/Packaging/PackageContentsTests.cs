using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using Vae.MLNet.Tests.Architecture;

namespace Vae.MLNet.Tests.Packaging;

/// <summary>What <c>dotnet pack Vae.MLNet/Vae.MLNet.csproj</c> puts in the package (the .nupkg is a zip).</summary>
[TestClass]
public sealed class PackageContentsTests
{
    /// <summary>Every file a consumer needs, and nothing else (NuGet's own bookkeeping entries aside).</summary>
    private static readonly string[] ExpectedEntries =
    [
        "Vae.MLNet.nuspec",
        "README.md",
        "LICENSE",
        "lib/net10.0/Vae.MLNet.dll",
        "lib/net10.0/Vae.MLNet.xml",
        "build/Vae.MLNet.targets",
        "buildTransitive/Vae.MLNet.targets",
        "buildTransitive/Vae.MLNet.GlibcxxFix.targets",
    ];

    [TestMethod]
    public void PackageCarriesAssemblyDocsGlibcxxFixReadmeLicenseAndNothingNative()
    {
        var package = PackedLibrary.Get();
        using var zip = ZipFile.OpenRead(package.PackagePath);
        var entries = zip.Entries.Select(e => e.FullName)
            .Where(n => !n.StartsWith("_rels/", StringComparison.Ordinal) && !n.StartsWith("package/", StringComparison.Ordinal) && n != "[Content_Types].xml")
            .OrderBy(n => n, StringComparer.Ordinal).ToArray();
        CollectionAssert.AreEquivalent(ExpectedEntries, entries, $"entries of {package.PackagePath}: {string.Join(", ", entries)}");
        // The application chooses the libtorch backend; nothing native (and no build-time tool) travels in the package.
        Assert.IsFalse(entries.Any(n => n.StartsWith("runtimes/", StringComparison.Ordinal) || n.EndsWith(".so", StringComparison.Ordinal) || n.Contains("Cecil", StringComparison.OrdinalIgnoreCase)),
            string.Join(", ", entries));

        // README, license and the GLIBCXX fix are the repository's own files, byte for byte.
        CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(package.RepositoryRoot, "README.md")), ReadEntry(zip, "README.md"), "README.md");
        StringAssert.StartsWith(ReadText(zip, "LICENSE"), "MIT License");
        CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(package.RepositoryRoot, "build", "GlibcxxFix.targets")),
            ReadEntry(zip, "buildTransitive/Vae.MLNet.GlibcxxFix.targets"), "the packed GLIBCXX fix differs from build/GlibcxxFix.targets");

        // Both entry points NuGet may import lead to the fix, which patches libLibTorchSharp.so after each copy.
        StringAssert.Contains(ReadText(zip, "buildTransitive/Vae.MLNet.targets"), "Vae.MLNet.GlibcxxFix.targets");
        StringAssert.Contains(ReadText(zip, "build/Vae.MLNet.targets"), "../buildTransitive/Vae.MLNet.targets");
        string fix = ReadText(zip, "buildTransitive/Vae.MLNet.GlibcxxFix.targets");
        StringAssert.Contains(fix, "AfterTargets=\"CopyFilesToOutputDirectory\"");
        StringAssert.Contains(fix, "AfterTargets=\"CopyFilesToPublishDirectory\"");
        StringAssert.Contains(fix, "VaeMLNetSkipGlibcxxFix");

        // The XML docs describe the public API.
        string docs = ReadText(zip, "lib/net10.0/Vae.MLNet.xml");
        StringAssert.Contains(docs, "M:Microsoft.ML.VaeCatalog.VaeEncode(Microsoft.ML.TransformsCatalog,Vae.MLNet.VaeOptions)");
        StringAssert.Contains(docs, "T:Vae.MLNet.VaeTransformer");

        // The packed assembly references the real ML.NET and TorchSharp, and no build-time tool (Mono.Cecil publicizes
        // ML.NET's reference assemblies for the compiler only).
        using var pe = new PEReader(new MemoryStream(ReadEntry(zip, "lib/net10.0/Vae.MLNet.dll")));
        var md = pe.GetMetadataReader();
        var references = md.AssemblyReferences.Select(h => md.GetAssemblyReference(h)).ToDictionary(r => md.GetString(r.Name), r => r.Version);
        Assert.IsFalse(references.Keys.Any(n => n.Contains("Cecil", StringComparison.OrdinalIgnoreCase)), string.Join(", ", references.Keys));
        Assert.AreEqual(new Version(0, 107, 0, 0), references["TorchSharp"]);
        Assert.AreEqual(new Version(1, 0, 0, 0), references["Microsoft.ML.Core"]);
        Assert.AreEqual(new Version(1, 0, 0, 0), references["Microsoft.ML.Data"]);

        // The packed assembly's public types are the listed public surface: the MNIST readers the examples and tests
        // use (examples/Shared/Datasets) are not in it.
        var exported = ExportedTypes(md).Order(StringComparer.Ordinal).ToArray();
        CollectionAssert.AreEqual(Architecture.PublicSurfaceTests.ExpectedPublicTypes, exported, string.Join(", ", exported));
    }

    /// <summary>The full names of the public types (nested ones as Outer+Inner) an assembly's metadata defines.</summary>
    private static IEnumerable<string> ExportedTypes(MetadataReader md)
    {
        foreach (var handle in md.TypeDefinitions)
            if (ExportedName(md, handle) is { } name) yield return name;
    }

    private static string? ExportedName(MetadataReader md, TypeDefinitionHandle handle)
    {
        var type = md.GetTypeDefinition(handle);
        var visibility = type.Attributes & System.Reflection.TypeAttributes.VisibilityMask;
        string name = md.GetString(type.Name);
        if (visibility == System.Reflection.TypeAttributes.Public)
            return type.Namespace.IsNil ? name : $"{md.GetString(type.Namespace)}.{name}";
        if (visibility == System.Reflection.TypeAttributes.NestedPublic)
            return ExportedName(md, type.GetDeclaringType()) is { } outer ? $"{outer}+{name}" : null;
        return null;
    }

    [TestMethod]
    public void NuspecStatesIdVersionLicenseReadmeAndDependsOnMicrosoftMLTorchSharpObjectPoolAndNumericsTensorsOnly()
    {
        var package = PackedLibrary.Get();
        var nuspec = PackedLibrary.ReadNuspec(package.PackagePath);
        var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";

        Assert.AreEqual("Vae.MLNet", Field("id"));
        Assert.IsTrue(Regex.IsMatch(package.Version, @"^\d+\.\d+\.\d+-test\d+$"), $"version {package.Version}");
        Assert.AreEqual($"Vae.MLNet.{package.Version}.nupkg", Path.GetFileName(package.PackagePath));

        var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        Assert.AreEqual("expression", license.Attribute("type")?.Value);
        Assert.AreEqual("MIT", license.Value);
        Assert.AreEqual("README.md", Field("readme"));
        StringAssert.Contains(Field("description"), "VaeEncode");
        StringAssert.Contains(Field("description"), "libtorch-cpu-linux-x64");
        CollectionAssert.IsSubsetOf(new[] { "vae", "ml.net", "torchsharp" }, Field("tags").Split(' '), $"tags: {Field("tags")}");
        Assert.IsFalse(string.IsNullOrWhiteSpace(Field("authors")));

        // Managed dependencies only, for net10.0: the backend (libtorch-cpu-linux-x64, a CUDA build) is the app's choice;
        // ObjectPool is what PooledPredictionEngine pools with (as Microsoft.Extensions.ML's does); System.Numerics.Tensors
        // is the managed kernels' vector arithmetic.
        var groups = metadata.Descendants().Where(e => e.Name.LocalName == "group").ToArray();
        Assert.HasCount(1, groups);
        Assert.AreEqual("net10.0", groups[0].Attribute("targetFramework")?.Value);
        var dependencies = groups[0].Elements().Where(e => e.Name.LocalName == "dependency")
            .Select(e => $"{e.Attribute("id")?.Value} {e.Attribute("version")?.Value}").OrderBy(d => d, StringComparer.Ordinal).ToArray();
        CollectionAssert.AreEqual(new[] { "Microsoft.Extensions.ObjectPool 10.0.0", "Microsoft.ML 5.0.1", "System.Numerics.Tensors 10.0.0", "TorchSharp 0.107.0" }, dependencies, string.Join(", ", dependencies));
    }

    private static byte[] ReadEntry(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new AssertFailedException($"{name} is not in the package");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ReadText(ZipArchive zip, string name) => System.Text.Encoding.UTF8.GetString(ReadEntry(zip, name)).TrimStart('\uFEFF');
}
