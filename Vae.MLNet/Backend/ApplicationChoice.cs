namespace Vae.MLNet.Backend;

/// <summary>
/// The rule both process-wide settings (<see cref="NativeHeap"/>, <see cref="OneDnnIsa"/>) follow: the application's own
/// choice wins, read from the environment variables that make it, and a variable of ours opts out.
/// </summary>
internal static class ApplicationChoice
{
    /// <summary>
    /// Why a setting is left alone: not Linux, <paramref name="optOut"/>=default, or one of
    /// <paramref name="ownVariables"/> set; null where the library may apply it.
    /// </summary>
    public static string? ReasonToLeaveAlone(Func<string, string?> environment, string optOut, params string[] ownVariables)
    {
        if (!OperatingSystem.IsLinux())
            return "not Linux";
        if (string.Equals(environment(optOut), "default", StringComparison.OrdinalIgnoreCase))
            return optOut + "=default";
        return ownVariables.FirstOrDefault(variable => !string.IsNullOrEmpty(environment(variable))) is { } set ? set + " is set" : null;
    }
}
