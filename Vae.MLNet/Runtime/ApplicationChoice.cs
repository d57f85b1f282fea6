namespace Vae.MLNet.Runtime;

/// <summary>
/// The rule every process-level choice of the library follows: the application's own choice wins. An application opts
/// out of one with an AppContext switch (settable in runtimeconfig.json, e.g. with
/// <c>&lt;RuntimeHostConfigurationOption Include="Vae.MLNet.Malloc.Disable" Value="true" /&gt;</c> in its project) or
/// with the older environment variable set to <c>default</c>; where the application set the native setting itself (its
/// own environment variables), the library leaves it alone.
/// </summary>
internal static class ApplicationChoice
{
    /// <summary>The malloc thresholds a Fit applies (<see cref="NativeHeap"/>): switch and variable.</summary>
    public static readonly OptOut Malloc = new("Vae.MLNet.Malloc.Disable", "VAE_MLNET_MALLOC");

    /// <summary>
    /// Every hand-written kernel (Acceleration/OwnKernels): the switch Vae.MLNet.Kernels.Disable or VAE_MLNET_KERNELS=default
    /// (or off); the older names of the packed product's opt-out, Vae.MLNet.Gemm.Disable and VAE_MLNET_GEMM=default, mean the same.
    /// </summary>
    public static readonly OptOut Kernels = new("Vae.MLNet.Kernels.Disable", "VAE_MLNET_KERNELS", "Vae.MLNet.Gemm.Disable", "VAE_MLNET_GEMM");

    /// <summary>
    /// Keeping the strided convolutions off oneDNN's AVX-512 kernels on AMD processors (<see cref="OneDnnKernels"/>):
    /// with it disabled, libtorch's kernels serve them wherever the self-check finds them right.
    /// </summary>
    public static readonly OptOut OneDnnAvoidance = new("Vae.MLNet.OneDnnAvoidance.Disable", "VAE_MLNET_ONEDNN");

    /// <summary>
    /// One opt-out: an AppContext switch and an environment variable whose value <c>default</c> (or <c>off</c>) means
    /// the same, and the older names of both where they were renamed.
    /// </summary>
    internal sealed record OptOut(string Switch, string Variable, string? FormerSwitch = null, string? FormerVariable = null)
    {
        /// <summary>Whether this process opted out: the switch is true, or the variable is <c>default</c>.</summary>
        public bool IsChosen => IsChosenBy(Environment.GetEnvironmentVariable, IsSwitchOn);

        /// <summary><see cref="IsChosen"/> with the environment and the switches given (tests).</summary>
        public bool IsChosenBy(Func<string, string?> environment, Func<string, bool> isSwitchOn) =>
            isSwitchOn(Switch) || IsOff(environment(Variable))
            || (FormerSwitch is not null && isSwitchOn(FormerSwitch)) || (FormerVariable is not null && IsOff(environment(FormerVariable)));

        private static bool IsOff(string? value) =>
            string.Equals(value, "default", StringComparison.OrdinalIgnoreCase) || string.Equals(value, "off", StringComparison.OrdinalIgnoreCase);

        /// <summary>What the opt-out is called in a reason.</summary>
        public string Description => $"{Variable}=default or the AppContext switch {Switch}";
    }

    /// <summary>
    /// Why a setting is left alone: not Linux, <paramref name="optOut"/> chosen, or one of
    /// <paramref name="ownVariables"/> set; null where the library may apply it.
    /// </summary>
    public static string? ReasonToLeaveAlone(Func<string, string?> environment, Func<string, bool> isSwitchOn, OptOut optOut, params string[] ownVariables)
    {
        if (!OperatingSystem.IsLinux())
            return "not Linux";
        if (optOut.IsChosenBy(environment, isSwitchOn))
            return optOut.Description;
        return ownVariables.FirstOrDefault(variable => !string.IsNullOrEmpty(environment(variable))) is { } set ? set + " is set" : null;
    }

    /// <summary>Whether the AppContext switch <paramref name="name"/> is on in this process.</summary>
    public static bool IsSwitchOn(string name) => AppContext.TryGetSwitch(name, out bool on) && on;
}
