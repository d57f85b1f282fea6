using System.Text.RegularExpressions;

namespace Vae.MLNet.Tests.Architecture;

/// <summary>
/// The test project mirrors the house (Vae.MLNet.Tests/README.md): unit tests under Unit/ by library folder
/// (Unit/Estimator for the library's root, its public face), then Integration, Reliability, Packaging, EndToEnd,
/// Architecture, Reporting (the second package), and helper code in Support; each file's namespace is its folder's.
/// </summary>
[TestClass]
public sealed partial class TestLayoutTests
{
    private static readonly string[] TopLevel = ["Unit", "Integration", "Reliability", "Packaging", "EndToEnd", "Architecture", "Reporting", "Support"];

    [TestMethod]
    public void EveryTestFileSitsInAKnownPlaceUnderItsFoldersNamespace()
    {
        string tests = Folder("Vae.MLNet.Tests");
        var misplaced = new List<string>();
        foreach (var file in SourceFiles(tests))
        {
            string relative = Path.GetRelativePath(tests, file).Replace('\\', '/');
            string folder = Path.GetDirectoryName(relative)!.Replace('\\', '/');
            if (folder.Length == 0)
            {
                if (relative != "MSTestSettings.cs") misplaced.Add($"{relative}: at the project's root");
                continue;
            }
            if (!TopLevel.Contains(folder.Split('/')[0])) misplaced.Add($"{relative}: '{folder.Split('/')[0]}' is not one of {string.Join(", ", TopLevel)}");
            string expected = "Vae.MLNet.Tests." + folder.Replace('/', '.');
            var declared = Namespace().Match(File.ReadAllText(file));
            if (!declared.Success || declared.Groups[1].Value != expected)
                misplaced.Add($"{relative}: namespace {(declared.Success ? declared.Groups[1].Value : "(none)")}, expected {expected}");
        }
        Assert.IsEmpty(misplaced, string.Join(Environment.NewLine, misplaced));
    }

    [TestMethod]
    public void EveryUnitFolderIsALibraryFolder()
    {
        string library = Folder("Vae.MLNet");
        string unit = Path.Combine(Folder("Vae.MLNet.Tests"), "Unit");
        var strays = Directory.GetDirectories(unit).Select(Path.GetFileName)
            .Where(name => name != "Estimator" && !Directory.Exists(Path.Combine(library, name!))).ToList();
        Assert.IsEmpty(strays, $"Unit/ folders without a library folder of the same name: {string.Join(", ", strays)}");
    }

    private static IEnumerable<string> SourceFiles(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"));

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    private static string Folder(string project)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, project, project + ".csproj"))) return Path.Combine(dir.FullName, project);
        Assert.Inconclusive($"{project}/{project}.csproj was not found above {AppContext.BaseDirectory}; this test reads the sources.");
        return "";
    }
}
