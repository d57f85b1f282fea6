namespace Vae.MLNet.Training;

/// <summary>
/// Runs one piece of work per shard at the same time: shard 0 on the calling thread, the others on dedicated
/// threads that live as long as the runner (so each keeps its own thread-local libtorch state). Run returns when
/// every shard is done and rethrows the first failure.
/// </summary>
internal sealed class ShardRunner : IDisposable
{
    private readonly Thread[] _workers;
    private readonly SemaphoreSlim[] _go;
    private readonly CountdownEvent _done;
    private Action<int>? _work;
    private Exception? _failure;
    private volatile bool _stopping;

    /// <param name="shards">How many pieces run at once (1 runs everything on the calling thread).</param>
    /// <param name="initializeWorker">Runs once on each worker thread before its first piece of work.</param>
    public ShardRunner(int shards, Action initializeWorker)
    {
        Shards = shards;
        _go = Enumerable.Range(1, shards - 1).Select(_ => new SemaphoreSlim(0)).ToArray();
        _done = new CountdownEvent(shards - 1);
        _workers = Enumerable.Range(1, shards - 1).Select(shard => new Thread(() => WorkerLoop(shard, initializeWorker))
        {
            IsBackground = true,
            Name = $"VAE training shard {shard}",
        }).ToArray();
        foreach (var worker in _workers) worker.Start();
    }

    public int Shards { get; }

    public void Run(Action<int> work)
    {
        if (Shards == 1)
        {
            work(0);
            return;
        }
        _work = work;
        _failure = null;
        _done.Reset();
        foreach (var go in _go) go.Release();
        try
        {
            work(0);
        }
        finally
        {
            _done.Wait();
        }
        if (_failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
    }

    private void WorkerLoop(int shard, Action initialize)
    {
        initialize();
        while (true)
        {
            _go[shard - 1].Wait();
            if (_stopping) return;
            try
            {
                _work!(shard);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            finally
            {
                _done.Signal();
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (var go in _go) go.Release();
        foreach (var worker in _workers) worker.Join();
        foreach (var go in _go) go.Dispose();
        _done.Dispose();
    }
}
