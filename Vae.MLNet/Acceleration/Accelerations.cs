using Vae.MLNet.Runtime;

namespace Vae.MLNet.Acceleration;

/// <summary>
/// The choice between the two implementations of <see cref="IAcceleration"/>: the library's own kernels unless the
/// option (VaeOptions.UseOwnKernels, AutoencoderOptions.UseOwnKernels) or the process (the AppContext switch
/// Vae.MLNet.Kernels.Disable or its older name Vae.MLNet.Gemm.Disable, VAE_MLNET_KERNELS=off or VAE_MLNET_GEMM=default;
/// <see cref="ApplicationChoice.Kernels"/>) turns them off.
/// </summary>
internal static class Accelerations
{
    /// <summary>The implementation for a network with <paramref name="useOwnKernels"/> (the option at Fit, as saved at load): the process can still turn the kernels off.</summary>
    public static IAcceleration For(bool useOwnKernels) => Choose(useOwnKernels, ApplicationChoice.Kernels.IsChosen);

    /// <summary><see cref="For"/> with the process's opt-out given (tests).</summary>
    internal static IAcceleration Choose(bool useOwnKernels, bool processOptedOut) =>
        useOwnKernels && !processOptedOut ? OwnKernels.Instance : PlainLibtorch.Instance;
}
