namespace Vae.MLNet.Acceleration.Gemm;

/// <summary>
/// One background thread ("Vae.MLNet helper") that runs the second half of a kernel's work while the calling thread
/// runs the first: the packed products (<see cref="PackedGemm"/>) and the packed convolutions. A dedicated thread
/// rather than the .NET pool: the caller waits on it, and a pool busy with ML.NET's own work would delay every call.
/// It lives only while a Fit that uses it runs: <see cref="Enter"/> starts it on the first Fit's entry and the last
/// Fit's leaving stops and joins it (reference-counted across overlapping Fits). It serves one caller at a time; a
/// caller that cannot take <see cref="TryAcquire"/> (another has it, or no Fit runs) does all its work itself.
/// </summary>
internal static class HelperThread
{
    /// <summary>Work for the helper: <see cref="Run"/> calls <see cref="Execute"/> on the helper thread.</summary>
    public interface IJob
    {
        void Execute();
    }

    /// <summary>The helper thread's name.</summary>
    public const string Name = "Vae.MLNet helper";

    private static readonly object Gate = new();
    private static int _users;
    private static Worker? _worker;
    private static int _taken;

    /// <summary>The running helper, or null between Fits (tests).</summary>
    internal static Thread? Current => Volatile.Read(ref _worker)?.Thread;

    /// <summary>Starts the helper unless it runs; disposing the result stops and joins it when no other user remains.</summary>
    public static IDisposable Enter()
    {
        lock (Gate)
        {
            if (_users++ == 0) Volatile.Write(ref _worker, Worker.Start());
        }
        return new Use();
    }

    private static void Leave()
    {
        lock (Gate)
        {
            if (--_users > 0) return;
            var worker = _worker!;
            Volatile.Write(ref _worker, null);
            worker.Stop();
        }
    }

    /// <summary>
    /// Takes the helper; false while anyone has it, this thread included (work that already splits does not split
    /// again), and while no Fit has it running. Pair with <see cref="Release"/>.
    /// </summary>
    public static bool TryAcquire()
    {
        if (Interlocked.CompareExchange(ref _taken, 1, 0) != 0) return false;
        if (Volatile.Read(ref _worker) is not null) return true;
        Release();
        return false;
    }

    public static void Release() => Volatile.Write(ref _taken, 0);

    /// <summary>Starts <paramref name="job"/> on the helper (taken with <see cref="TryAcquire"/>); <see cref="Wait"/> for it.</summary>
    public static void Run(IJob job) => _worker!.Post(job);

    /// <summary>Waits for the job <see cref="Run"/> started; rethrows its failure.</summary>
    public static void Wait() => _worker!.Wait();

    private sealed class Use : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Leave();
        }
    }

    /// <summary>One lifetime of the thread: its events, its job and its stop flag.</summary>
    private sealed class Worker
    {
        private readonly ManualResetEventSlim _posted = new(false, spinCount: 2000);
        private readonly ManualResetEventSlim _done = new(false, spinCount: 2000);
        private IJob? _job;
        private Exception? _failure;
        private volatile bool _stopping;

        private Worker() => Thread = new Thread(Loop) { IsBackground = true, Name = Name };

        public Thread Thread { get; }

        public static Worker Start()
        {
            var worker = new Worker();
            worker.Thread.Start();
            return worker;
        }

        public void Post(IJob job)
        {
            _job = job;
            _done.Reset();
            _posted.Set();
        }

        public void Wait()
        {
            _done.Wait();
            if (Interlocked.Exchange(ref _failure, null) is { } failure)
                throw new InvalidOperationException("The helper thread's part of the work failed.", failure);
        }

        public void Stop()
        {
            _stopping = true;
            _posted.Set();
            Thread.Join();
            _posted.Dispose();
            _done.Dispose();
        }

        private void Loop()
        {
            while (true)
            {
                _posted.Wait();
                _posted.Reset();
                if (_stopping) return;
                try
                {
                    _job!.Execute();
                }
                catch (Exception e)
                {
                    _failure = e;
                }
                _job = null;
                _done.Set();
            }
        }
    }
}
