using System.Runtime.InteropServices;
using TorchSharp;

namespace Vae.MLNet.Backend;

/// <summary>
/// The first torch call of every entry point goes through <see cref="EnsureLoaded"/>, so a missing or unloadable
/// native backend surfaces as one exception that says what was tried and what to do, instead of a
/// TypeInitializationException from deep inside TorchSharp.
/// </summary>
internal static class TorchRuntime
{
    private static readonly Lazy<Exception?> LoadFailure = new(TryLoad, LazyThreadSafetyMode.ExecutionAndPublication);

    // A test's stand-in for an application without a backend, in its own flow only (tests run in parallel).
    private static readonly AsyncLocal<bool> SimulatedMissing = new();

    /// <exception cref="InvalidOperationException">TorchSharp's native library could not be loaded.</exception>
    public static void EnsureLoaded()
    {
        if (Failure() is { } failure) throw failure;
    }

    /// <summary>The exception <see cref="EnsureLoaded"/> throws, which explains what was tried and what to do; null when the backend loads.</summary>
    public static InvalidOperationException? Failure()
    {
        if (SimulatedMissing.Value)
            return new InvalidOperationException(Explain(new DllNotFoundException("Unable to load shared library 'LibTorchSharp' (simulated by a test)")));
        return LoadFailure.Value is { } failure ? new InvalidOperationException(Explain(failure), failure) : null;
    }

    /// <summary>
    /// For tests: until the result is disposed, this flow (thread and awaits) sees the backend as missing, as an
    /// application that references no libtorch package does; the process's real state and other flows are untouched.
    /// </summary>
    internal static IDisposable SimulateMissingBackend()
    {
        SimulatedMissing.Value = true;
        return new Restore();
    }

    private sealed class Restore : IDisposable
    {
        public void Dispose() => SimulatedMissing.Value = false;
    }

    private static Exception? TryLoad()
    {
        try
        {
            using var probe = torch.zeros(1);
            return null;
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException or BadImageFormatException or EntryPointNotFoundException)
        {
            return e;
        }
    }

    private static string Explain(Exception failure)
    {
        string baseDirectory = AppContext.BaseDirectory;
        // TorchSharp's own message carries a long load trace: its first line says enough here.
        string detail = string.Join(" → ", Chain(failure).Select(e => e.Message.Trim().Split('\n')[0].Trim()).Distinct());
        // TorchSharp's message does not carry the loader's reason (e.g. "version `GLIBCXX_3.4.32' not found");
        // loading its native library directly does.
        if (LoaderError(baseDirectory) is { } loaderError)
            detail += " → " + loaderError;
        bool backendPresent = File.Exists(Path.Combine(baseDirectory, "libtorch.so"))
            || File.Exists(Path.Combine(baseDirectory, "runtimes", "linux-x64", "native", "libtorch.so"));
        var advice = new List<string>();
        if (!backendPresent)
            advice.Add("reference a libtorch backend package in the application, e.g. <PackageReference Include=\"libtorch-cpu-linux-x64\" Version=\"2.10.0\" /> (or TorchSharp-cuda-linux for a GPU)");
        if (detail.Contains("GLIBCXX", StringComparison.Ordinal))
            advice.Add("the system's libstdc++ is older than TorchSharp's libLibTorchSharp.so expects: rebuild the application so Vae.MLNet's build step marks that version requirement weak in the output's copy (it runs after every build and publish unless VaeMLNetSkipGlibcxxFix=true), or install libstdc++ from GCC 13 or later");
        if (advice.Count == 0)
            advice.Add("check that TorchSharp's native files (libLibTorchSharp.so, libtorch*.so) are in the application's output folder and that their versions match TorchSharp " + typeof(torch).Assembly.GetName().Version);
        return $"TorchSharp's native backend could not be loaded from {baseDirectory} (TorchSharp {typeof(torch).Assembly.GetName().Version}, looked for libtorch beside the application and under runtimes/linux-x64/native): {detail}. To fix it: {string.Join("; ", advice)}.";
    }

    // The dynamic loader's message for the first libLibTorchSharp.so of the output that fails to load; null if none does.
    private static string? LoaderError(string baseDirectory)
    {
        string[] candidates =
        [
            Path.Combine(baseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
            Path.Combine(baseDirectory, "libLibTorchSharp.so"),
        ];
        foreach (string path in candidates.Where(File.Exists))
        {
            try
            {
                NativeLibrary.Free(NativeLibrary.Load(path));
            }
            catch (DllNotFoundException e)
            {
                return e.Message.Trim();
            }
            catch (BadImageFormatException e)
            {
                return e.Message.Trim();
            }
        }
        return null;
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException) yield return current;
    }
}
