using System.Runtime.InteropServices;
using System.Text;

namespace Vae.MLNet.Torch.Native;

/// <summary>
/// The flat C ABI of native/ (libvae_native.so). Tensor-returning calls return IntPtr.Zero on failure and
/// status-returning calls return -1; either way the message waits in a thread-local slot read by <see cref="LastError"/>.
/// </summary>
internal static partial class NativeMethods
{
    private const string Lib = NativeLibraryLocator.LibraryName;

    static NativeMethods() => NativeLibraryLocator.Register(typeof(NativeMethods).Assembly);

    [LibraryImport(Lib)] private static unsafe partial int vae_last_error(byte* buffer, int capacity);

    internal static unsafe string LastError()
    {
        Span<byte> small = stackalloc byte[512];
        fixed (byte* p = small)
        {
            int length = vae_last_error(p, small.Length);
            if (length < small.Length) return Encoding.UTF8.GetString(small[..length]);
        }
        var large = new byte[vae_last_error(null, 0) + 1];
        fixed (byte* p = large)
        {
            int length = vae_last_error(p, large.Length);
            return Encoding.UTF8.GetString(large, 0, Math.Min(length, large.Length - 1));
        }
    }

    /// <summary>Turns a failed call into an exception, prefixed with what was being done.</summary>
    internal static TorchException Failure(string context) => new($"{context}: {LastError()}");

    internal static IntPtr CheckHandle(IntPtr handle, string context) =>
        handle != IntPtr.Zero ? handle : throw Failure(context);

    internal static void Check(int status, string context)
    {
        if (status != 0) throw Failure(context);
    }
}
