using System.Reflection;

namespace Vae.MLNet.Tests.Packaging;

/// <summary>
/// The ML.NET versions this build of the suite was restored with (the build properties MLNetVersion and
/// MLNetExperimentalVersion, recorded in the test assembly's metadata): the consumer apps the packaging tests build
/// reference the same ones, so a run on 6.0.0 checks the packed package on 6.0.0 with OnnxConverter 0.24.0.
/// </summary>
internal static class MLNetBuild
{
    /// <summary>Microsoft.ML (and its FastTree, LightGbm, ImageAnalytics...): 5.0.1 unless the build said otherwise.</summary>
    public static string Version { get; } = Metadata("MLNetVersion");

    /// <summary>The experimental packages that go with <see cref="Version"/> (OnnxConverter, Microsoft.ML.TorchSharp, Data.Analysis).</summary>
    public static string ExperimentalVersion { get; } = Metadata("MLNetExperimentalVersion");

    private static string Metadata(string key) =>
        typeof(MLNetBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"The test assembly carries no {key} metadata: Vae.MLNet.Tests.csproj records it from the build property of that name.");
}
