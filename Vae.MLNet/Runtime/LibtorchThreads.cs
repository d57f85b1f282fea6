using static TorchSharp.torch;

namespace Vae.MLNet.Runtime;

/// <summary>
/// libtorch's intra-op thread count during Fits. libtorch keeps it per thread (OpenMP's setting of the calling thread)
/// and process-wide (the value a thread takes when it first runs a parallel operation), and set_num_threads writes both.
/// Each Fit sets it on its own thread; the count from before the first of the overlapping Fits entered is kept, and each
/// Fit that changed it puts it back on its thread when it leaves, the last one to leave also libtorch's process-wide
/// value, so overlapping Fits never leave libtorch at one of their counts.
/// </summary>
internal static class LibtorchThreads
{
    private static readonly Lock Gate = new();
    private static int _fits;
    private static int _before;
    private static bool _changed;

    /// <summary>
    /// A Fit starts on this thread and wants <paramref name="wanted"/> threads (null: whatever libtorch has); returns
    /// whether it changed the count, which <see cref="Leave"/> is given back.
    /// </summary>
    public static bool Enter(int? wanted)
    {
        lock (Gate)
        {
            if (_fits++ == 0)
            {
                _before = get_num_threads();
                _changed = false;
            }
            if (wanted is not int count || get_num_threads() == count) return false;
            set_num_threads(count);
            _changed = true;
            return true;
        }
    }

    /// <summary>The Fit that entered on this thread leaves (<paramref name="changedHere"/>: what <see cref="Enter"/> returned).</summary>
    public static void Leave(bool changedHere)
    {
        lock (Gate)
        {
            bool last = --_fits == 0;
            if (changedHere || (last && _changed)) set_num_threads(_before);
            if (last) _changed = false;
        }
    }
}
