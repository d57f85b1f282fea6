namespace Vae.MLNet.Torch;

/// <summary>
/// Owns every tensor created on this thread while it is the innermost scope, and disposes them with itself,
/// so training loops free native memory deterministically. Scopes nest per thread, as in TorchSharp.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? _current;

    private readonly HashSet<torch.Tensor> _tensors = new(ReferenceEqualityComparer.Instance);
    private bool _disposed;

    internal DisposeScope()
    {
        OuterScope = _current;
        _current = this;
    }

    /// <summary>The innermost scope of this thread, or null.</summary>
    internal static DisposeScope? Current => _current;

    /// <summary>The scope that was innermost when this one was opened.</summary>
    public DisposeScope? OuterScope { get; }

    /// <summary>How many tensors this scope will dispose.</summary>
    public int DisposablesCount => _tensors.Count;

    internal void Add(torch.Tensor tensor)
    {
        _tensors.Add(tensor);
        tensor.OwningScope = this;
    }

    internal void Remove(torch.Tensor tensor)
    {
        _tensors.Remove(tensor);
        tensor.OwningScope = null;
    }

    /// <summary>Hands the tensor to the enclosing scope (or to no scope), so it outlives this one.</summary>
    public T MoveToOuter<T>(T tensor) where T : torch.Tensor
    {
        Remove(tensor);
        OuterScope?.Add(tensor);
        return tensor;
    }

    /// <summary>Releases the tensor from every scope; the caller disposes it.</summary>
    public T Detach<T>(T tensor) where T : torch.Tensor
    {
        Remove(tensor);
        return tensor;
    }

    /// <summary>Disposes every tensor the scope still owns and makes the enclosing scope current again.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var tensor in _tensors)
        {
            tensor.OwningScope = null;
            tensor.Dispose();
        }
        _tensors.Clear();
        // Scopes close innermost first; one closed out of order is unlinked without closing those inside it.
        if (ReferenceEquals(_current, this)) _current = OuterScope;
    }
}
