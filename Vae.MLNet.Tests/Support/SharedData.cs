using Vae.MLNet.Examples.Datasets;

namespace Vae.MLNet.Tests.Support;

/// <summary>Finds the shared data sets (../shared/data beside the repository), or makes a test inconclusive.</summary>
internal static class SharedData
{
    /// <summary>The folder of an MNIST-format data set ("mnist" or "fashion-mnist"), or Assert.Inconclusive.</summary>
    public static string Folder(string name)
    {
        string? overrideRoot = Environment.GetEnvironmentVariable("VAE_MLNET_DATA");
        var roots = new List<string>();
        if (!string.IsNullOrEmpty(overrideRoot)) roots.Add(overrideRoot);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            roots.Add(Path.Combine(dir.FullName, "shared", "data"));
        foreach (string root in roots)
        {
            string folder = Path.Combine(root, name);
            if (Mnist.IsAvailable(folder)) return folder;
        }
        Assert.Inconclusive($"The {name} IDX files were not found (looked for shared/data/{name} above {AppContext.BaseDirectory}, and $VAE_MLNET_DATA); this test needs ../shared/data beside the repository.");
        return "";
    }
}
