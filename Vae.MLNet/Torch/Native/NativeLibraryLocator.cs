using System.Reflection;
using System.Runtime.InteropServices;

namespace Vae.MLNet.Torch.Native;

/// <summary>Finds and loads the native shim, and explains what to install when it or libtorch is missing.</summary>
internal static class NativeLibraryLocator
{
    internal const string LibraryName = "vae_native";
    private const string FileName = "libvae_native.so";
    private const string InstallHint =
        "Vae.MLNet needs libtorch 1.13 (CPU) from Debian: run `sudo apt-get install libtorch-dev` " +
        "(or the runtime package libtorch1.13), then run the program again.";

    /// <summary>Environment variable that points at a specific build of the shim, for development.</summary>
    internal const string OverrideVariable = "VAE_MLNET_NATIVE_PATH";

    internal static void Register(Assembly assembly) => NativeLibrary.SetDllImportResolver(assembly, Resolve);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName) return IntPtr.Zero;
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("Vae.MLNet's native shim is built for Linux x64 only.");

        var candidates = Candidates(assembly).ToList();
        string? found = candidates.FirstOrDefault(File.Exists);
        if (found is null)
            throw new DllNotFoundException(
                $"{FileName} was not found. Looked in: {string.Join(", ", candidates)}. " +
                "Building Vae.MLNet from source builds it (needs cmake, g++ and libtorch-dev); " +
                "the NuGet package carries it under runtimes/linux-x64/native.");

        if (NativeLibrary.TryLoad(found, out IntPtr handle)) return handle;

        string reason = LoadError(found);
        bool libtorchMissing = reason.Contains("libtorch", StringComparison.Ordinal) ||
                               reason.Contains("libc10", StringComparison.Ordinal);
        throw new DllNotFoundException(libtorchMissing
            ? $"{FileName} could not load libtorch: {reason}. {InstallHint}"
            : $"{FileName} at {found} could not be loaded: {reason}. {InstallHint}");
    }

    private static IEnumerable<string> Candidates(Assembly assembly)
    {
        string? overridePath = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrEmpty(overridePath)) yield return overridePath;
        var folders = new[] { Path.GetDirectoryName(assembly.Location), AppContext.BaseDirectory }
            .Where(f => !string.IsNullOrEmpty(f)).Distinct();
        foreach (string folder in folders!)
        {
            yield return Path.Combine(folder!, FileName);
            yield return Path.Combine(folder!, "runtimes", "linux-x64", "native", FileName);
        }
    }

    // NativeLibrary.Load throws with the loader's own message (dlerror), which names the missing dependency.
    private static string LoadError(string path)
    {
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(path));
            return "unknown error";
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            return e.Message;
        }
    }
}
