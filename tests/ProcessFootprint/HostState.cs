using System.Collections;
using System.Runtime.InteropServices;
using TorchSharp;

namespace ProcessFootprint;

/// <summary>
/// What a library could change in its host process and that this program can observe: the environment as .NET and as
/// libc see it (libc's setenv changes only libc's, which native code such as oneDNN reads), libtorch's intra-op thread
/// count on this thread and on a thread that has not used libtorch yet (which takes libtorch's process-wide value), and
/// whether a malloc of 1 MiB, 8 MiB and 48 MiB is served by its own mmap (under glibc's fixed default threshold, 128 KiB,
/// all three are; under a 32 MiB threshold only the 48 MiB one is).
/// </summary>
internal sealed record HostState(
    SortedDictionary<string, string> DotnetEnvironment,
    SortedDictionary<string, string> LibcEnvironment,
    int Threads,
    int ThreadsOnANewThread,
    bool LargeMallocIsMmapped,
    bool MebibyteMallocIsMmapped,
    bool HugeMallocIsMmapped)
{
    public static HostState Read() =>
        new(DotnetVariables(), LibcVariables(), torch.get_num_threads(), OnANewThread(torch.get_num_threads), IsMmapped(8 << 20), IsMmapped(1 << 20), IsMmapped(48 << 20));

    private static SortedDictionary<string, string> DotnetVariables()
    {
        var variables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            variables[(string)entry.Key] = (string?)entry.Value ?? "";
        return variables;
    }

    // libc's `environ`, which setenv changes (/proc/self/environ keeps the strings the process started with).
    private static unsafe SortedDictionary<string, string> LibcVariables()
    {
        var variables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var libc = NativeLibrary.Load("libc.so.6");
        var environ = *(byte***)NativeLibrary.GetExport(libc, "environ");
        for (var entry = environ; *entry != null; entry++)
        {
            string text = Marshal.PtrToStringUTF8((nint)(*entry)) ?? "";
            int equals = text.IndexOf('=');
            variables[equals < 0 ? text : text[..equals]] = equals < 0 ? "" : text[(equals + 1)..];
        }
        return variables;
    }

    private static int OnANewThread(Func<int> read)
    {
        int value = 0;
        var thread = new Thread(() => value = read());
        thread.Start();
        thread.Join();
        return value;
    }

    // The block is never freed (nor touched beyond its header, so it costs no resident memory): freeing an mmapped block
    // raises glibc's dynamic threshold to its size, which would change what the next probe sees. glibc marks a chunk
    // served by mmap with bit 1 (IS_MMAPPED) of the size word just before the pointer malloc returns.
    private static unsafe bool IsMmapped(nuint bytes)
    {
        var block = (nuint*)NativeMemory.Alloc(bytes);
        return (block[-1] & 2) != 0;
    }
}
