namespace Vae.MLNet.Kernels;

/// <summary>
/// One background thread ("Vae.MLNet helper") that runs the second half of a kernel's work while the calling thread
/// runs the first: the packed products (<see cref="PackedGemm"/>) and the packed convolutions. A dedicated thread
/// rather than the .NET pool: the caller waits on it, and a pool busy with ML.NET's own work would delay every call.
/// It serves one caller at a time; a caller that cannot take <see cref="TryAcquire"/> does all its work itself.
/// </summary>
internal static class HelperThread
{
    /// <summary>Work for the helper: <see cref="Run"/> calls <see cref="Execute"/> on the helper thread.</summary>
    public interface IJob
    {
        void Execute();
    }

    private static int _taken;
    private static readonly ManualResetEventSlim Posted = new(false, spinCount: 2000);
    private static readonly ManualResetEventSlim Done = new(false, spinCount: 2000);
    private static readonly Lazy<Thread> Worker = new(Start);
    private static IJob? _job;
    private static Exception? _failure;

    /// <summary>
    /// Takes the helper; false while anyone has it, this thread included (work that already splits does not split
    /// again). Pair with <see cref="Release"/>.
    /// </summary>
    public static bool TryAcquire() => Interlocked.CompareExchange(ref _taken, 1, 0) == 0;

    public static void Release() => Volatile.Write(ref _taken, 0);

    /// <summary>Starts <paramref name="job"/> on the helper (taken with <see cref="TryAcquire"/>); <see cref="Wait"/> for it.</summary>
    public static void Run(IJob job)
    {
        _ = Worker.Value;
        _job = job;
        Done.Reset();
        Posted.Set();
    }

    /// <summary>Waits for the job <see cref="Run"/> started; rethrows its failure.</summary>
    public static void Wait()
    {
        Done.Wait();
        if (Interlocked.Exchange(ref _failure, null) is { } failure)
            throw new InvalidOperationException("The helper thread's part of the work failed.", failure);
    }

    private static Thread Start()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "Vae.MLNet helper" };
        thread.Start();
        return thread;
    }

    private static void Loop()
    {
        while (true)
        {
            Posted.Wait();
            Posted.Reset();
            try
            {
                _job!.Execute();
            }
            catch (Exception e)
            {
                _failure = e;
            }
            _job = null;
            Done.Set();
        }
    }
}
