namespace Vae.MLNet.Mapping;

/// <summary>
/// Whether a transformer has been disposed, shared with every view, cursor, mapper and PredictionEngine row made from
/// it, so that after Dispose they all say so (ObjectDisposedException naming the transformer) instead of reaching
/// freed native tensors ("Tensor invalid -- empty handle").
/// </summary>
internal sealed class ModelLifetime(Type owner)
{
    private volatile bool _ended;

    /// <summary>Marks the model disposed.</summary>
    public void End() => _ended = true;

    /// <exception cref="ObjectDisposedException">The model was disposed (ObjectName: the transformer's type).</exception>
    public void ThrowIfEnded() => ObjectDisposedException.ThrowIf(_ended, owner);
}
