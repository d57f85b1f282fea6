using System.Runtime.InteropServices;

namespace Vae.MLNet.Torch.Native;

internal static partial class NativeMethods
{
    [LibraryImport(Lib)] internal static partial IntPtr vae_linear(IntPtr input, IntPtr weight, IntPtr bias);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int vae_sparse_input_linear_use(string variant);
    [LibraryImport(Lib)] internal static partial IntPtr vae_sparse_input_linear(IntPtr input, IntPtr weightTransposed, IntPtr bias, long outFeatures, double maxDensity);

    [LibraryImport(Lib)]
    internal static unsafe partial IntPtr vae_conv2d(IntPtr input, IntPtr weight, IntPtr bias, long* stride,
        long* padding, long* dilation, long groups);

    [LibraryImport(Lib)]
    internal static unsafe partial IntPtr vae_conv_transpose2d(IntPtr input, IntPtr weight, IntPtr bias, long* stride,
        long* padding, long* outputPadding, long* dilation, long groups);

    [LibraryImport(Lib)]
    internal static partial IntPtr vae_batch_norm(IntPtr input, IntPtr weight, IntPtr bias, IntPtr runningMean,
        IntPtr runningVar, [MarshalAs(UnmanagedType.U1)] bool training, double momentum, double eps);

    [LibraryImport(Lib)]
    internal static partial IntPtr vae_dropout(IntPtr input, double p, [MarshalAs(UnmanagedType.U1)] bool training);

    [LibraryImport(Lib)] internal static partial IntPtr vae_mse_loss(IntPtr input, IntPtr target, long reduction);
    [LibraryImport(Lib)] internal static partial IntPtr vae_binary_cross_entropy(IntPtr input, IntPtr target, IntPtr weight, long reduction);

    [LibraryImport(Lib)]
    internal static partial IntPtr vae_binary_cross_entropy_with_logits(IntPtr input, IntPtr target, IntPtr weight,
        IntPtr posWeight, long reduction);

    [LibraryImport(Lib)]
    internal static partial IntPtr vae_cross_entropy(IntPtr input, IntPtr target, IntPtr weight, long reduction,
        long ignoreIndex, double labelSmoothing);

    [LibraryImport(Lib)]
    internal static partial IntPtr vae_nll_loss(IntPtr input, IntPtr target, IntPtr weight, long reduction, long ignoreIndex);

    [LibraryImport(Lib)]
    internal static partial int vae_elbo(IntPtr output, IntPtr target, IntPtr mu, IntPtr logvar, IntPtr gaussianLogVariance,
        int likelihood, double beta, double freeBits, out IntPtr loss, out IntPtr reconPerRow, out IntPtr klPerRow, out IntPtr klPerDim);
    [LibraryImport(Lib)] internal static partial IntPtr vae_bce_with_logits_row_sum(IntPtr logits, IntPtr target);
}
