using System.Runtime.InteropServices;

namespace Vae.MLNet.Torch.Native;

internal static partial class NativeMethods
{
    [LibraryImport(Lib)] internal static partial IntPtr vae_generator_new(long seed);
    [LibraryImport(Lib)] internal static partial void vae_generator_free(IntPtr handle);
    [LibraryImport(Lib)] internal static partial int vae_generator_seed(IntPtr handle, long seed);
    [LibraryImport(Lib)] internal static unsafe partial int vae_generator_get_state(IntPtr handle, byte* buffer, long capacity, out long size);
    [LibraryImport(Lib)] internal static unsafe partial int vae_generator_set_state(IntPtr handle, byte* buffer, long size);
    [LibraryImport(Lib)] internal static partial IntPtr vae_set_thread_generator(IntPtr handle);
}
