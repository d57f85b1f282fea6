using System.Security;

namespace Vae.MLNet.Tests.Packaging;

/// <summary>
/// A fresh console project in a temporary folder, outside the repository (so none of its Directory.Build files apply,
/// the GLIBCXX fix included), with a NuGet.config of its own: the pack folder serves Vae.MLNet, the default source
/// serves everything else. It restores into the machine's NuGet cache, as a user's project would; the package's
/// run-unique version keeps other versions there out. The folder is deleted on <see cref="Dispose"/> once the test
/// called <see cref="Passed"/>, and kept after a failure to look at.
/// </summary>
internal sealed class ConsumerProject : IDisposable
{
    /// <summary>The source <c>dotnet nuget list source</c> shows on this machine (nuget.org's address).</summary>
    public const string DefaultSource = "https://api.nuget.org/v3/index.json";

    private bool _passed;

    private ConsumerProject(string folder, string name, PackedLibrary package)
    {
        Folder = folder;
        Name = name;
        Package = package;
    }

    /// <summary>The project folder.</summary>
    public string Folder { get; }

    /// <summary>The project's name (its .csproj and assembly).</summary>
    public string Name { get; }

    /// <summary>The Vae.MLNet package this project references.</summary>
    public PackedLibrary Package { get; }

    /// <summary>The build output folder of the Release configuration.</summary>
    public string OutputFolder => Path.Combine(Folder, "bin", "Release", "net10.0");

    /// <summary>
    /// Writes the project: NuGet.config, a console .csproj that references <paramref name="packages"/> (id, version)
    /// and the packed Vae.MLNet (exactly its version), and <paramref name="program"/> as Program.cs.
    /// </summary>
    public static ConsumerProject Create(PackedLibrary package, string name, IEnumerable<(string Id, string Version)> packages, string program)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"vae-mlnet-{name.ToLowerInvariant()}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var project = new ConsumerProject(folder, name, package);

        // Source mapping pins Vae.MLNet to the pack folder, so no source can stand in for it.
        File.WriteAllText(Path.Combine(folder, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="vae-mlnet-pack" value="{SecurityElement.Escape(package.Folder)}" />
                <add key="nuget.org" value="{DefaultSource}" protocolVersion="3" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="vae-mlnet-pack">
                  <package pattern="Vae.MLNet" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        string references = string.Join("\n", packages.Select(p => $"""    <PackageReference Include="{p.Id}" Version="{p.Version}" />"""));
        File.WriteAllText(Path.Combine(folder, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <!-- The registry here lacks some exact dependency versions and resolves the next one up. -->
                <WarningsNotAsErrors>NU1603</WarningsNotAsErrors>
              </PropertyGroup>
              <ItemGroup>
            {references}
                <PackageReference Include="Vae.MLNet" Version="[{package.Version}]" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), program);
        return project;
    }

    /// <summary>Runs <c>dotnet</c> in the project folder.</summary>
    public DotnetCli.Result Dotnet(params string[] arguments) => DotnetCli.Run(Folder, arguments, timeout: TimeSpan.FromMinutes(8));

    /// <summary>Runs the built program (<c>dotnet bin/Release/net10.0/&lt;Name&gt;.dll</c>) in a process of its own.</summary>
    public DotnetCli.Result RunProgram(params string[] arguments) =>
        DotnetCli.Run(Folder, [Path.Combine(OutputFolder, Name + ".dll"), .. arguments], timeout: TimeSpan.FromMinutes(5));

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
