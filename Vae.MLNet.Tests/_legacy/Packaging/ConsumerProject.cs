namespace Vae.MLNet.Tests.Packaging;

/// <summary>
/// A fresh console project in a temporary folder that references the Vae.MLNet package from a local folder source,
/// with a package cache of its own (so the test's package never lands in the user's global cache). The folder is
/// deleted on <see cref="Dispose"/> once the test called <see cref="Passed"/>, and kept after a failure to look at.
/// </summary>
internal sealed class ConsumerProject : IDisposable
{
    private bool _passed;

    private ConsumerProject(string folder, PackedLibrary package)
    {
        Folder = folder;
        Package = package;
        PackagesCache = Path.Combine(folder, ".nuget-packages");
    }

    /// <summary>The project folder (outside the repository, so its Directory.Build.props does not apply).</summary>
    public string Folder { get; }

    /// <summary>The package this project references.</summary>
    public PackedLibrary Package { get; }

    /// <summary>The NUGET_PACKAGES folder its restores use.</summary>
    public string PackagesCache { get; }

    /// <summary>Variables every dotnet command on this project runs with.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["NUGET_PACKAGES"] = PackagesCache,
    };

    /// <summary>Writes the project: NuGet.config, a console .csproj referencing the package, and <paramref name="program"/>.</summary>
    public static ConsumerProject Create(PackedLibrary package, string program, string extraProperties = "")
    {
        string folder = Path.Combine(Path.GetTempPath(), $"vae-mlnet-consumer-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var project = new ConsumerProject(folder, package);

        // The local folder serves Vae.MLNet; the default source serves anything else. Source mapping pins the
        // package to the folder, so a package of the same name and version elsewhere can never stand in for it.
        File.WriteAllText(Path.Combine(folder, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{package.Folder}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local">
                  <package pattern="Vae.MLNet" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(folder, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Vae.MLNet" Version="[{package.Version}]" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), program);
        return project;
    }

    /// <summary>Runs <c>dotnet</c> in the project folder with the project's environment.</summary>
    public DotnetCli.Result Dotnet(params string[] arguments) =>
        DotnetCli.Run(Folder, arguments, Environment, TimeSpan.FromMinutes(5));

    /// <summary>Marks the test as passed: <see cref="Dispose"/> deletes the folder.</summary>
    public void Passed() => _passed = true;

    /// <summary>Deletes the folder if the test passed; a failed test leaves it (its messages name it).</summary>
    public void Dispose()
    {
        if (!_passed) return;
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
