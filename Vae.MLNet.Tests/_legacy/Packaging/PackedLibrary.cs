using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;

namespace Vae.MLNet.Tests.Packaging;

/// <summary>
/// The Vae.MLNet package, packed once per test run with <c>dotnet pack</c> from this repository's sources, into a
/// folder beside the test assembly (under bin/, so nothing leaks into the repository or the global package cache).
/// </summary>
internal sealed class PackedLibrary
{
    private static readonly Lazy<PackedLibrary> Instance = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    private PackedLibrary(string repositoryRoot, string folder, string packagePath, string version)
    {
        RepositoryRoot = repositoryRoot;
        Folder = folder;
        PackagePath = packagePath;
        Version = version;
    }

    /// <summary>The repository the package was packed from (the folder of Vae.MLNet.sln).</summary>
    public string RepositoryRoot { get; }

    /// <summary>The folder holding the .nupkg: a local package source.</summary>
    public string Folder { get; }

    /// <summary>The .nupkg file.</summary>
    public string PackagePath { get; }

    /// <summary>The package's version, as its nuspec states it.</summary>
    public string Version { get; }

    /// <summary>The package, packing it on first use; a failed pack fails every test that asks.</summary>
    public static PackedLibrary Get() => Instance.Value;

    private static PackedLibrary Pack()
    {
        string root = FindRepositoryRoot();
        string folder = Path.Combine(AppContext.BaseDirectory, "packaging", "packages");
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);

        // The same configuration the tests were built in, so the pack finds the library already built.
        string configuration = typeof(PackedLibrary).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        string project = Path.Combine(root, "Vae.MLNet", "Vae.MLNet.csproj");
        var result = DotnetCli.Run(root, ["pack", project, "-c", configuration, "-o", folder, "-nologo"], timeout: TimeSpan.FromMinutes(10));
        Assert.AreEqual(0, result.ExitCode, result.Describe($"dotnet pack {project}"));

        string[] packages = Directory.GetFiles(folder, "*.nupkg").Where(p => !p.EndsWith(".symbols.nupkg", StringComparison.Ordinal)).ToArray();
        Assert.AreEqual(1, packages.Length, $"dotnet pack should produce one package in {folder}; found: {string.Join(", ", packages)}");
        string version = ReadNuspec(packages[0]).Descendants().Single(e => e.Name.LocalName == "version").Value;
        return new PackedLibrary(root, folder, packages[0], version);
    }

    /// <summary>The package's nuspec (the manifest NuGet writes at the root of the zip).</summary>
    public static XDocument ReadNuspec(string packagePath)
    {
        using var zip = ZipFile.OpenRead(packagePath);
        var entry = zip.Entries.Single(e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vae.MLNet.sln")) && File.Exists(Path.Combine(dir.FullName, "Vae.MLNet", "Vae.MLNet.csproj")))
                return dir.FullName;
        }
        Assert.Inconclusive($"The repository (Vae.MLNet.sln) was not found above {AppContext.BaseDirectory}; packaging tests pack the library from its sources.");
        return "";
    }
}
