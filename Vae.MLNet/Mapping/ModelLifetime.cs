namespace Vae.MLNet.Mapping;

/// <summary>
/// Whether a transformer has been disposed, shared with every view, cursor, mapper and PredictionEngine row made from
/// it, so that after Dispose they all say so (ObjectDisposedException naming the transformer) instead of reaching
/// freed native tensors ("Tensor invalid -- empty handle").
/// </summary>
/// <param name="owner">The transformer's type, which ObjectDisposedException names.</param>
/// <param name="backendFailure">
/// For a model loaded where TorchSharp's native backend is missing: the library's explanation, thrown by every use
/// (ML.NET calls loaders by reflection, so thrown at Load it would reach the application two TargetInvocationExceptions down).
/// </param>
internal sealed class ModelLifetime(Type owner, InvalidOperationException? backendFailure = null)
{
    private volatile bool _ended;

    /// <summary>Marks the model disposed.</summary>
    public void End() => _ended = true;

    /// <exception cref="ObjectDisposedException">The model was disposed (ObjectName: the transformer's type).</exception>
    /// <exception cref="InvalidOperationException">The model was loaded without a native backend: what to reference.</exception>
    public void ThrowIfEnded()
    {
        ObjectDisposedException.ThrowIf(_ended, owner);
        if (backendFailure is not null) throw new InvalidOperationException(backendFailure.Message, backendFailure.InnerException);
    }
}
