using System.Diagnostics;
using System.Text;

namespace Vae.MLNet.Tests.Packaging;

/// <summary>Runs the dotnet CLI as a child process, the way a user would from a shell, and captures what it prints.</summary>
internal static class DotnetCli
{
    /// <summary>What a finished command left behind.</summary>
    internal sealed record Result(int ExitCode, string Output, TimeSpan Duration)
    {
        /// <summary>A failure message carrying the command's output, for assertions.</summary>
        public string Describe(string what) => $"{what} exited with {ExitCode} after {Duration.TotalSeconds:F1} s. Output:\n{Output}";

        /// <summary>Fails the test with the command's output unless it exited with 0.</summary>
        public Result Succeeded(string what)
        {
            Assert.AreEqual(0, ExitCode, Describe(what));
            return this;
        }
    }

    /// <summary>
    /// Runs <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>. The child does not inherit the MSBuild variables of the test run (they would
    /// steer its build); <paramref name="environment"/> adds variables.
    /// </summary>
    public static Result Run(string workingDirectory, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(DotnetExecutable())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);

        foreach (string key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase))
                start.Environment.Remove(key);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";   // no build nodes outlive the test
        if (environment is not null)
            foreach (var (key, value) in environment) start.Environment[key] = value;

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        DataReceivedEventHandler append = (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
        };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;

        var clock = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var limit = timeout ?? TimeSpan.FromMinutes(5);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            lock (output)
                Assert.Fail($"`dotnet {string.Join(' ', start.ArgumentList)}` in {workingDirectory} did not finish within {limit.TotalSeconds:F0} s. Output so far:\n{output}");
        }
        process.WaitForExit();   // drains the redirected streams
        lock (output) return new Result(process.ExitCode, output.ToString(), clock.Elapsed);
    }

    private static string DotnetExecutable()
    {
        // The CLI that runs the tests tells its children where it is; fall back to the one on PATH.
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
    }
}
