using System.Runtime.InteropServices;

namespace Vae.MLNet.Torch.Native;

internal static partial class NativeMethods
{
    [LibraryImport(Lib)]
    internal static unsafe partial IntPtr vae_optim_adam(IntPtr* parameters, int count, int kind, double lr,
        double beta1, double beta2, double eps, double weightDecay, [MarshalAs(UnmanagedType.U1)] bool amsgrad);

    [LibraryImport(Lib)]
    internal static unsafe partial IntPtr vae_optim_sgd(IntPtr* parameters, int count, double lr, double momentum,
        double dampening, double weightDecay, [MarshalAs(UnmanagedType.U1)] bool nesterov);

    [LibraryImport(Lib)] internal static partial void vae_optim_free(IntPtr handle);
    [LibraryImport(Lib)] internal static partial int vae_optim_step(IntPtr handle);
    [LibraryImport(Lib)] internal static partial int vae_optim_zero_grad(IntPtr handle, [MarshalAs(UnmanagedType.U1)] bool setToNone);
    [LibraryImport(Lib)] internal static partial int vae_optim_get_lr(IntPtr handle, out double lr);
    [LibraryImport(Lib)] internal static partial int vae_optim_set_lr(IntPtr handle, double lr);
    [LibraryImport(Lib)] internal static unsafe partial int vae_optim_save(IntPtr handle, byte* buffer, long capacity, out long size);
    [LibraryImport(Lib)] internal static unsafe partial int vae_optim_load(IntPtr handle, byte* buffer, long size);
    [LibraryImport(Lib)] internal static unsafe partial int vae_clip_grad_norm(IntPtr* parameters, int count, double maxNorm, out double totalNorm);

    [LibraryImport(Lib)]
    internal static unsafe partial IntPtr vae_fused_adam_new(IntPtr* parameters, int count, double lr, double beta1, double beta2,
        double eps, double weightDecay, [MarshalAs(UnmanagedType.U1)] bool decoupled);

    [LibraryImport(Lib)] internal static partial void vae_fused_adam_free(IntPtr handle);
    [LibraryImport(Lib)] internal static partial int vae_fused_adam_step(IntPtr handle, int threads);
    [LibraryImport(Lib)] internal static partial int vae_fused_adam_zero_grad(IntPtr handle);
    [LibraryImport(Lib)] internal static partial int vae_fused_adam_lr(IntPtr handle, double lr, out double previous);
    [LibraryImport(Lib)] internal static unsafe partial int vae_fused_adam_save(IntPtr handle, byte* buffer, long capacity, out long size);
    [LibraryImport(Lib)] internal static unsafe partial int vae_fused_adam_load(IntPtr handle, byte* buffer, long size);
}
