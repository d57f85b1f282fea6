using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Vae.MLNet.Tests.Packaging;

/// <summary>What <c>dotnet pack Vae.MLNet/Vae.MLNet.csproj</c> puts in the package (the .nupkg is a zip).</summary>
[TestClass]
public sealed class PackageContentsTests
{
    private const string NativeEntry = "runtimes/linux-x64/native/libvae_native.so";

    /// <summary>Every file a consumer needs, and nothing else (NuGet's own bookkeeping entries aside).</summary>
    private static readonly string[] ExpectedEntries =
    [
        "Vae.MLNet.nuspec",
        "README.md",
        "LICENSE",
        "lib/net10.0/Vae.MLNet.dll",
        "lib/net10.0/Vae.MLNet.xml",
        NativeEntry,
        "build/Vae.MLNet.targets",
        "buildTransitive/Vae.MLNet.targets",
    ];

    [TestMethod]
    public void PackageCarriesAssemblyDocsNativeShimReadmeLicenseAndBuildChecks()
    {
        var package = PackedLibrary.Get();
        using var zip = ZipFile.OpenRead(package.PackagePath);
        var entries = zip.Entries.Select(e => e.FullName)
            .Where(n => !n.StartsWith("_rels/", StringComparison.Ordinal) && !n.StartsWith("package/", StringComparison.Ordinal) && n != "[Content_Types].xml")
            .OrderBy(n => n, StringComparer.Ordinal).ToArray();
        CollectionAssert.AreEquivalent(ExpectedEntries, entries, $"entries of {package.PackagePath}: {string.Join(", ", entries)}");

        // The shim in the package is the one CMake built, byte for byte (an ELF shared object).
        byte[] packed = ReadEntry(zip, NativeEntry);
        CollectionAssert.AreEqual(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }, packed[..4], "the packed shim is not an ELF file");
        string built = Path.Combine(package.RepositoryRoot, "native", "build", "libvae_native.so");
        CollectionAssert.AreEqual(File.ReadAllBytes(built), packed, $"{NativeEntry} differs from {built}");

        // README and license are the repository's own.
        Assert.AreEqual(File.ReadAllText(Path.Combine(package.RepositoryRoot, "README.md")), ReadText(zip, "README.md"));
        StringAssert.StartsWith(ReadText(zip, "LICENSE"), "MIT License");

        // The XML docs describe the public API.
        StringAssert.Contains(ReadText(zip, "lib/net10.0/Vae.MLNet.xml"), "M:Vae.MLNet.VaeCatalog.VaeEncode");

        // The transitive entry point runs the same check as the direct one.
        StringAssert.Contains(ReadText(zip, "buildTransitive/Vae.MLNet.targets"), "../build/Vae.MLNet.targets");
        StringAssert.Contains(ReadText(zip, "build/Vae.MLNet.targets"), "sudo apt-get install libtorch1.13 libopenblas0-pthread");
    }

    [TestMethod]
    public void NuspecStatesIdVersionLicenseReadmeDescriptionTagsAndNoDependencies()
    {
        var package = PackedLibrary.Get();
        var nuspec = PackedLibrary.ReadNuspec(package.PackagePath);
        var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";

        Assert.AreEqual("Vae.MLNet", Field("id"));
        Assert.IsTrue(Regex.IsMatch(package.Version, @"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$"), $"version {package.Version}");
        Assert.AreEqual($"Vae.MLNet.{package.Version}.nupkg", Path.GetFileName(package.PackagePath));

        var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        Assert.AreEqual("expression", license.Attribute("type")?.Value);
        Assert.AreEqual("MIT", license.Value);
        Assert.AreEqual("README.md", Field("readme"));
        StringAssert.Contains(Field("description"), "VaeEncode");
        StringAssert.Contains(Field("description"), "libtorch");
        CollectionAssert.IsSubsetOf(new[] { "vae", "ml.net", "libtorch" }, Field("tags").Split(' '), $"tags: {Field("tags")}");
        Assert.IsFalse(string.IsNullOrWhiteSpace(Field("authors")));

        // The library stands alone: no package dependencies for a consumer to restore.
        var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string?)e.Attribute("id")).ToArray();
        Assert.AreEqual(0, dependencies.Length, $"dependencies: {string.Join(", ", dependencies)}");
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
