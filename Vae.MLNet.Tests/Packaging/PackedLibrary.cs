using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;

namespace Vae.MLNet.Tests.Packaging;

/// <summary>
/// The Vae.MLNet package, packed once per test run with <c>dotnet pack</c> from this repository's sources into a
/// folder beside the test assembly. Its version is the project's with a suffix unique to the run
/// (<c>-test&lt;UTC time&gt;&lt;pid&gt;</c>), so consumer restores into the machine's NuGet cache can never pick up a
/// package of the same version left there by an earlier run; the run's entry is removed from the cache when the test
/// process exits, and entries of earlier runs older than a day are swept when packing.
/// </summary>
internal sealed class PackedLibrary
{
    private const string SuffixPrefix = "test";
    private static readonly Lazy<PackedLibrary> Instance = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    private PackedLibrary(string repositoryRoot, string folder, string packagePath, string version, TimeSpan packTime)
    {
        RepositoryRoot = repositoryRoot;
        Folder = folder;
        PackagePath = packagePath;
        Version = version;
        PackTime = packTime;
    }

    /// <summary>The repository the package was packed from (the folder of Vae.MLNet.sln).</summary>
    public string RepositoryRoot { get; }

    /// <summary>The folder holding the .nupkg: a local package source.</summary>
    public string Folder { get; }

    /// <summary>The .nupkg file.</summary>
    public string PackagePath { get; }

    /// <summary>The package's version, as its nuspec states it (a prerelease unique to this run).</summary>
    public string Version { get; }

    /// <summary>How long <c>dotnet pack</c> took.</summary>
    public TimeSpan PackTime { get; }

    /// <summary>The machine's NuGet package cache (NUGET_PACKAGES, else ~/.nuget/packages), which consumers restore into.</summary>
    public static string GlobalPackagesFolder =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The package, packing it on first use; a failed pack fails every test that asks.</summary>
    public static PackedLibrary Get() => Instance.Value;

    private static PackedLibrary Pack()
    {
        string root = FindRepositoryRoot();
        string folder = Path.Combine(AppContext.BaseDirectory, "packaging", "packages");
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        SweepStaleCacheEntries();

        string suffix = SuffixPrefix + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        // The same configuration the tests were built in: building them built the library too, so the pack takes that
        // build (--no-build) instead of compiling again with the new version, which would also make the next test
        // build recompile the library. Without that build, pack builds it.
        string configuration = typeof(PackedLibrary).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        string project = Path.Combine(root, "Vae.MLNet", "Vae.MLNet.csproj");
        bool built = File.Exists(Path.Combine(root, "Vae.MLNet", "bin", configuration, "net10.0", "Vae.MLNet.dll"));
        var arguments = new List<string> { "pack", project, "-c", configuration, "-o", folder, "-nologo", $"-p:VersionSuffix={suffix}" };
        if (built) arguments.Add("--no-build");
        var result = DotnetCli.Run(root, arguments, timeout: TimeSpan.FromMinutes(10)).Succeeded($"dotnet {string.Join(' ', arguments)}");

        string[] packages = Directory.GetFiles(folder, "*.nupkg").Where(p => !p.EndsWith(".symbols.nupkg", StringComparison.Ordinal)).ToArray();
        Assert.HasCount(1, packages, $"dotnet pack should produce one package in {folder}; found: {string.Join(", ", packages)}");
        string version = ReadNuspec(packages[0]).Descendants().Single(e => e.Name.LocalName == "version").Value;
        Assert.EndsWith("-" + suffix, version, $"the package's version should carry this run's suffix {suffix}");

        // Consumers restore this version into the machine's cache; it is of no use after the run.
        string cached = Path.Combine(GlobalPackagesFolder, "vae.mlnet", version.ToLowerInvariant());
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteQuietly(cached);
        return new PackedLibrary(root, folder, packages[0], version, result.Duration);
    }

    /// <summary>The package's nuspec (the manifest NuGet writes at the root of the zip).</summary>
    public static XDocument ReadNuspec(string packagePath)
    {
        using var zip = ZipFile.OpenRead(packagePath);
        var entry = zip.Entries.Single(e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }

    // Runs killed before their exit handler ran leave their test versions in the cache; a day later they are surely done.
    private static void SweepStaleCacheEntries()
    {
        var cache = new DirectoryInfo(Path.Combine(GlobalPackagesFolder, "vae.mlnet"));
        if (!cache.Exists) return;
        foreach (var entry in cache.EnumerateDirectories($"*-{SuffixPrefix}*"))
        {
            if (entry.LastWriteTimeUtc < DateTime.UtcNow.AddDays(-1)) DeleteQuietly(entry.FullName);
        }
    }

    private static void DeleteQuietly(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
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
