using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Vae.MLNet.Tests.Architecture;

/// <summary>
/// The package's public face is what a newcomer sees first, so it is kept deliberate: the root folder of the library
/// (Vae.MLNet/) holds only public types (catalogs, estimators, transformers, options, enums, metrics, results), every
/// internal helper sits in a folder of its own with the namespace of that folder, no internal type hides in the public
/// namespaces, and the exported types are exactly the listed ones (a new public type, or one that disappears, is a
/// decision to record here, not an accident).
/// </summary>
[TestClass]
public sealed partial class PublicSurfaceTests
{
    /// <summary>Every type Vae.MLNet.dll exports (nested ones with '+'), in ordinal order.</summary>
    internal static readonly string[] ExpectedPublicTypes =
    [
        "Microsoft.ML.AtomicModelSave",
        "Microsoft.ML.AutoencoderCatalog",
        "Microsoft.ML.VaeCatalog",
        "Vae.MLNet.AmortizationGapResult",
        "Vae.MLNet.AutoencoderEpochMetrics",
        "Vae.MLNet.AutoencoderEstimator",
        "Vae.MLNet.AutoencoderLatentActivation",
        "Vae.MLNet.AutoencoderOptions",
        "Vae.MLNet.AutoencoderSparsity",
        "Vae.MLNet.AutoencoderTransformer",
        "Vae.MLNet.CorruptionKind",
        "Vae.MLNet.LatentPaths",
        "Vae.MLNet.NeuralTrainingOptions",
        "Vae.MLNet.PooledPredictionEngine`2",
        "Vae.MLNet.PredictionEnginePool`2",
        "Vae.MLNet.ReconstructionLoss",
        "Vae.MLNet.TransformerSearch",
        "Vae.MLNet.VaeArchitecture",
        "Vae.MLNet.VaeEpochMetrics",
        "Vae.MLNet.VaeEstimator",
        "Vae.MLNet.VaeInputCorruption",
        "Vae.MLNet.VaeInterpolation",
        "Vae.MLNet.VaeLikelihood",
        "Vae.MLNet.VaeMetrics",
        "Vae.MLNet.VaeMissingValues",
        "Vae.MLNet.VaeOptions",
        "Vae.MLNet.VaeSlotKind",
        "Vae.MLNet.VaeSlotLikelihood",
        "Vae.MLNet.VaeSlotLikelihoods",
        "Vae.MLNet.VaeTransformer",
    ];

    /// <summary>The namespaces public types live in: the library's own, and ML.NET's for the catalog extensions.</summary>
    private static readonly string[] PublicNamespaces = ["Vae.MLNet", "Microsoft.ML"];

    /// <summary>
    /// Internal types that must live in a namespace other than their folder's: the runtime honours
    /// IgnoresAccessChecksToAttribute only under this exact name.
    /// </summary>
    private static readonly string[] NamespaceExceptions = ["System.Runtime.CompilerServices.IgnoresAccessChecksToAttribute"];

    [TestMethod]
    public void TheLibraryExportsExactlyTheListedPublicTypes()
    {
        var exported = typeof(VaeTransformer).Assembly.GetExportedTypes().Select(t => t.FullName!).Order(StringComparer.Ordinal).ToArray();
        var added = exported.Except(ExpectedPublicTypes).ToArray();
        var removed = ExpectedPublicTypes.Except(exported).ToArray();
        Assert.IsTrue(added.Length == 0 && removed.Length == 0,
            $"The public surface changed. New public types (list them in ExpectedPublicTypes if meant, else make them internal): [{string.Join(", ", added)}]. " +
            $"Gone (a breaking change for users: keep an [Obsolete] stand-in, or remove them from the list): [{string.Join(", ", removed)}].");
    }

    [TestMethod]
    public void EveryFileAtTheRootOfTheLibraryDeclaresOnlyPublicTypes()
    {
        var files = Directory.GetFiles(LibraryFolder(), "*.cs", SearchOption.TopDirectoryOnly);
        Assert.IsGreaterThan(10, files.Length, $"the library's root folder {LibraryFolder()} holds almost no files: is this the right folder?");
        var problems = new List<string>();
        foreach (string file in files)
        {
            var declarations = Declarations(File.ReadAllText(file));
            string name = Path.GetFileName(file);
            if (declarations.Count == 0)
                problems.Add($"{name} declares no type (assembly attributes belong in Properties/)");
            problems.AddRange(declarations.Where(d => d.Access != "public").Select(d => $"{name}: {d.Access} {d.Name} (move it to the folder of its kind)"));
        }
        Assert.IsEmpty(problems, "The root folder holds the public face only:\n" + string.Join("\n", problems));
    }

    [TestMethod]
    public void EveryInternalTypeSitsInTheNamespaceOfItsFolder()
    {
        string root = LibraryFolder();
        var problems = new List<string>();
        int checkedFiles = 0;
        foreach (string file in Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(root, file);
            string? folder = Path.GetDirectoryName(relative);
            if (string.IsNullOrEmpty(folder) || folder.Split(Path.DirectorySeparatorChar)[0] is "obj" or "bin" or "Properties") continue;
            string text = File.ReadAllText(file);
            string expected = "Vae.MLNet." + folder.Replace(Path.DirectorySeparatorChar, '.');
            string? actual = Regex.Match(text, @"^namespace ([\w.]+);", RegexOptions.Multiline) is { Success: true } m ? m.Groups[1].Value : null;
            foreach (var d in Declarations(text).Where(d => d.Access != "public"))
            {
                checkedFiles++;
                if (actual != expected && !NamespaceExceptions.Contains($"{actual}.{d.Name}"))
                    problems.Add($"{relative}: {d.Access} {d.Name} is in namespace {actual ?? "(none)"}, expected {expected}");
            }
        }
        Assert.IsGreaterThan(50, checkedFiles, "the scan found almost no internal types: it is broken");
        Assert.IsEmpty(problems, string.Join("\n", problems));
    }

    [TestMethod]
    public void NoInternalTypeHidesInThePublicNamespaces()
    {
        var hidden = typeof(VaeTransformer).Assembly.GetTypes()
            .Where(t => !t.IsNested && !t.IsPublic && PublicNamespaces.Contains(t.Namespace) && !t.IsDefined(typeof(CompilerGeneratedAttribute), false))
            .Select(t => t.FullName).ToArray();
        Assert.IsEmpty(hidden, $"internal types in a public namespace (give them the namespace of their folder): {string.Join(", ", hidden)}");
    }

    /// <summary>
    /// The top-level type declarations of a C# file with a file-scoped namespace (the house style): those that start at
    /// the beginning of a line. A declaration without an access modifier is internal.
    /// </summary>
    internal static List<(string Access, string Name)> Declarations(string source) =>
        Declaration().Matches(source).Select(m => (m.Groups["access"].Success ? m.Groups["access"].Value : "internal", m.Groups["name"].Value)).ToList();

    [GeneratedRegex(@"^(?:(?<access>public|internal|file)\s+)?(?:(?:static|sealed|abstract|partial|readonly|unsafe|ref)\s+)*(?:record\s+(?:class\s+|struct\s+)?|class\s+|struct\s+|interface\s+|enum\s+)(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex Declaration();

    private static string LibraryFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Vae.MLNet", "Vae.MLNet.csproj"))) return Path.Combine(dir.FullName, "Vae.MLNet");
        Assert.Inconclusive($"The library's sources (Vae.MLNet/Vae.MLNet.csproj) were not found above {AppContext.BaseDirectory}; these tests read them.");
        return "";
    }
}
